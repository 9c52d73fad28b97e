import { randomBytes } from 'node:crypto';
import type { HolidaysJob } from '../queue/holidays-job.ts';
import {
  createSession,
  endSession,
  getSession,
  replaceTokens,
  type Session,
  sessionSeconds,
} from '../store/sessions.ts';
import type { TableRef } from '../store/table.ts';
import {
  authorizeUrl,
  exchangeCode,
  fixedToken,
  GitHubPersonClient,
  pkcePair,
  refreshTokens,
  type SignInConfig,
  SignInError,
  type TokenSource,
  type UserTokens,
} from './github-person.ts';
import { signInPage } from './pages/installations-page.ts';
import {
  type DashboardRequest,
  type DashboardResponse,
  html,
  overHttps,
  redirect,
} from './responses.ts';
import { cookie, cookieName, readCookies, seal, unseal } from './sealed.ts';

/**
 * A person's session on the dashboard: signing in (GitHub's web flow),
 * signing out, the session a request carries, and the person's GitHub
 * token, refreshed when it is about to expire.
 */
export interface DashboardDependencies {
  table: TableRef;
  signIn: SignInConfig;
  /** 32 bytes: seals the session and sign-in cookies, and the GitHub tokens in session items. */
  sessionKey: Buffer;
  now: () => Date;
  /** The key a team's Slack webhook URL is sealed under (`slack-url-key.ts`); without one, a page cannot set a URL. */
  slackKey?: () => Promise<Buffer>;
  /** Locally: the embedded Slack sink on 127.0.0.1 is a webhook too. */
  allowLoopbackSlack?: boolean;
  /** Queues a saved calendar's holiday region for the holidays function to resolve to dates. */
  resolveHolidaysLater: (job: HolidaysJob) => Promise<void>;
}

const signInSeconds = 600;
/** A token this close to expiry is refreshed before it is used. */
const refreshMarginMs = 60_000;

const cookieNames = (deps: DashboardDependencies) => ({
  session: cookieName('flowmeter_session', overHttps(deps.signIn)),
  signIn: cookieName('flowmeter_sign_in', overHttps(deps.signIn)),
});

const cleared = (name: string, deps: DashboardDependencies) =>
  cookie(name, '', { maxAgeSeconds: 0, secure: overHttps(deps.signIn) });

export async function currentSession(
  request: DashboardRequest,
  deps: DashboardDependencies,
): Promise<Session | null> {
  const sealed = readCookies(request.cookies).get(cookieNames(deps).session);
  if (!sealed) return null;
  const sessionId = unseal(deps.sessionKey, sealed, deps.now().getTime());
  return typeof sessionId === 'string' ? getSession(deps.table, sessionId, deps.now()) : null;
}

export async function startSignIn(
  request: DashboardRequest,
  deps: DashboardDependencies,
): Promise<DashboardResponse> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(18).toString('base64url');
  // Only a path of ours: never a redirect elsewhere.
  const back = request.query.get('return') ?? '/';
  const returnTo = /^\/[a-z0-9/._-]*$/i.test(back) && !back.startsWith('//') ? back : '/';
  const now = deps.now().getTime();
  const sealed = seal(deps.sessionKey, { state, verifier, returnTo }, now + signInSeconds * 1000);
  return redirect(authorizeUrl(deps.signIn, state, challenge), [
    cookie(cookieNames(deps).signIn, sealed, {
      maxAgeSeconds: signInSeconds,
      secure: overHttps(deps.signIn),
    }),
  ]);
}

/** GitHub sent the person back: their tokens, sealed, in a new session; any session the browser had ends. */
export async function finishSignIn(
  request: DashboardRequest,
  deps: DashboardDependencies,
): Promise<DashboardResponse> {
  const now = deps.now();
  const names = cookieNames(deps);
  const pending = unseal(
    deps.sessionKey,
    readCookies(request.cookies).get(names.signIn) ?? '',
    now.getTime(),
  ) as { state: string; verifier: string; returnTo: string } | null;
  const code = request.query.get('code');
  if (!pending || !code || request.query.get('state') !== pending.state)
    return html(
      400,
      signInPage('The sign-in expired or did not start here. Please sign in again.'),
    );
  try {
    const tokens = await exchangeCode(deps.signIn, code, pending.verifier);
    const person = await new GitHubPersonClient(deps.signIn.apiUrl, fixedToken(tokens.token)).me();
    const previous = await currentSession(request, deps);
    if (previous) await endSession(deps.table, previous.sessionId);
    const expiresAt = Math.floor(sessionEnd(tokens, now.getTime()) / 1000);
    const session = await createSession(deps.table, {
      userId: person.id,
      login: person.login,
      sealedTokens: seal(deps.sessionKey, tokens, expiresAt * 1000),
      expiresAt,
    });
    return redirect(pending.returnTo, [
      cookie(names.session, seal(deps.sessionKey, session.sessionId, expiresAt * 1000), {
        maxAgeSeconds: expiresAt - Math.floor(now.getTime() / 1000),
        secure: overHttps(deps.signIn),
      }),
      cleared(names.signIn, deps),
    ]);
  } catch (error) {
    if (error instanceof SignInError) return html(400, signInPage(error.message));
    throw error;
  }
}

/** A session lasts a week, or as long as GitHub lets its tokens be renewed (or, not renewable, used). */
function sessionEnd(tokens: UserTokens, now: number): number {
  const renewableUntil =
    tokens.refreshTokenExpiresAt ?? tokens.expiresAt ?? Number.POSITIVE_INFINITY;
  return Math.min(now + sessionSeconds * 1000, renewableUntil);
}

/**
 * Signing out ends the session server-side whatever the form carries: a
 * forged sign-out can do no more than sign a person out, so it needs no
 * CSRF token to be honoured.
 */
export async function signOut(
  request: DashboardRequest,
  deps: DashboardDependencies,
): Promise<DashboardResponse> {
  const session = await currentSession(request, deps);
  if (session) await endSession(deps.table, session.sessionId);
  return redirect('/', [cleared(cookieNames(deps).session, deps)]);
}

/** GitHub no longer takes the person's token: the session ends and they sign in again, coming back here. */
export async function signInAgain(
  request: DashboardRequest,
  deps: DashboardDependencies,
  session: Session,
): Promise<DashboardResponse> {
  await endSession(deps.table, session.sessionId);
  const ended = [cleared(cookieNames(deps).session, deps)];
  return request.method === 'GET'
    ? redirect(`/login?return=${encodeURIComponent(request.path)}`, ended)
    : { ...html(403, signInPage('Your sign-in has ended. Please sign in again.')), cookies: ended };
}

/**
 * GitHub's API as the session's person: with their token renewed first if it
 * is about to expire, and renewed again should GitHub refuse it.
 */
export function personClient(session: Session, deps: DashboardDependencies): GitHubPersonClient {
  let current = session;
  const source: TokenSource = {
    current: async () => (await liveTokens(current, deps)).token,
    renew: async () => {
      const latest = await getSession(deps.table, current.sessionId, deps.now());
      if (!latest) return null;
      // Renewed by another request since this one read the session: those tokens are new enough.
      const renewedElsewhere = latest.sealedTokens !== current.sealedTokens;
      current = latest;
      return (await liveTokens(current, deps, { force: !renewedElsewhere })).token;
    },
  };
  return new GitHubPersonClient(deps.signIn.apiUrl, source);
}

async function liveTokens(
  session: Session,
  deps: DashboardDependencies,
  { force = false } = {},
): Promise<UserTokens> {
  const now = deps.now().getTime();
  const tokens = unseal(deps.sessionKey, session.sealedTokens, now) as UserTokens | null;
  if (!tokens) throw new SignInError('the session holds no usable token');
  const fresh = tokens.expiresAt === undefined || tokens.expiresAt - now > refreshMarginMs;
  if (fresh && !force) return tokens;
  if (!tokens.refreshToken) throw new SignInError('the GitHub token expired');
  let renewed: UserTokens;
  try {
    renewed = await refreshTokens(deps.signIn, tokens.refreshToken);
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    return renewedMeanwhile(session, deps, error);
  }
  const sealed = seal(deps.sessionKey, renewed, session.expiresAt * 1000);
  if (await replaceTokens(deps.table, session.sessionId, session.sealedTokens, sealed))
    return renewed;
  return renewedMeanwhile(session, deps, new SignInError('the session changed'));
}

/**
 * Two requests of one browser (a page and its progress poll) may find the
 * token expiring at once; GitHub renews it for the first and refuses the
 * spent refresh token of the second, which then takes the first's tokens.
 */
async function renewedMeanwhile(
  session: Session,
  deps: DashboardDependencies,
  refusal: SignInError,
): Promise<UserTokens> {
  // GitHub may refuse this request's refresh before the first one has stored what it got.
  for (let look = 0; look < renewalLooks; look++) {
    const current = await getSession(deps.table, session.sessionId, deps.now());
    if (!current) break;
    if (current.sealedTokens !== session.sealedTokens) return liveTokens(current, deps);
    await new Promise((resolve) => setTimeout(resolve, renewalLookMs));
  }
  throw refusal;
}

/** How long a refused renewal waits, at most, for another request's: 3 × 200 ms. */
const renewalLooks = 3;
const renewalLookMs = 200;
