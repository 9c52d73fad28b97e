import { randomBytes } from 'node:crypto';
import { finishedWeek, shiftWeek, weekBounds } from '../metrics/time-zone.ts';
import { describeIssues } from '../schema-issues.ts';
import {
  deliveryRules,
  getInstallation,
  type InstallationRecord,
  installationTimeZone,
} from '../store/installations.ts';
import { weekPullRequests } from '../store/pull-requests.ts';
import {
  createSession,
  endSession,
  getSession,
  rememberVisibleInstallations,
  type Session,
} from '../store/sessions.ts';
import { settingsChangeSchema, typedHours, updateSettings } from '../store/settings.ts';
import type { TableRef } from '../store/table.ts';
import { syncProgressView } from '../views/sync-progress-view.ts';
import { weeklyMetricsView } from '../views/weekly-metrics-view.ts';
import { mayChangeSettings, mayView, visibleListIsFresh } from './access.ts';
import { assets } from './assets.ts';
import {
  authorizeUrl,
  exchangeCode,
  GitHubPersonClient,
  type ListedInstallation,
  pkcePair,
  type SignInConfig,
  SignInError,
} from './github-sign-in.ts';
import { mergedPullRequests, pullRequestsCsv } from './merged-pull-requests.ts';
import { installationPage, repositoryState, trendWeeks } from './pages/installation-page.ts';
import {
  installationsPage,
  messagePage,
  notFoundPage,
  signInPage,
} from './pages/installations-page.ts';
import { scopePage, weekPage } from './pages/scope-pages.ts';
import { notAdminPage, type SettingsForm, settingsPage } from './pages/settings-page.ts';
import { cookie, readCookies, seal, unseal } from './sealed.ts';

export interface DashboardRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  cookies: readonly string[] | undefined;
  /** A form post's fields. */
  form: URLSearchParams;
}

export interface DashboardResponse {
  status: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
}

export interface DashboardDependencies {
  table: TableRef;
  signIn: SignInConfig;
  /** 32 bytes: seals the session and sign-in cookies. */
  sessionKey: Buffer;
  now: () => Date;
}

const sessionCookie = 'flowmeter_session';
const signInCookie = 'flowmeter_sign_in';
const signInSeconds = 600;

/**
 * No script or style but our own files, no request to another host, no
 * framing; a form may go only here or to GitHub's sign-in.
 */
function securityHeaders(signIn: SignInConfig): Record<string, string> {
  return {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self' ${new URL(signIn.webUrl).origin}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

const html = (
  status: number,
  body: string,
): Omit<DashboardResponse, 'headers'> & { headers: Record<string, string> } => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});
const redirect = (location: string, cookies?: string[]): DashboardResponse => ({
  status: 303,
  headers: { location },
  body: '',
  ...(cookies ? { cookies } : {}),
});

/**
 * The dashboard: sign in with GitHub, then the installations GitHub lists
 * for the person. Every request that shows an installation asks (or, within
 * a minute, remembers) GitHub's list; one not on it is a 404 like any page
 * that does not exist, so its existence is not given away.
 */
export async function handleDashboard(
  request: DashboardRequest,
  deps: DashboardDependencies,
): Promise<DashboardResponse> {
  const response = await route(request, deps);
  return { ...response, headers: { ...securityHeaders(deps.signIn), ...response.headers } };
}

async function route(
  request: DashboardRequest,
  deps: DashboardDependencies,
): Promise<DashboardResponse> {
  const { method, path } = request;
  const asset = /^\/assets\/([a-z.-]+)$/.exec(path);
  if (method === 'GET' && asset) {
    const file = assets[asset[1] ?? ''];
    if (!file) return html(404, notFoundPage(null));
    return {
      status: 200,
      headers: { 'content-type': file.contentType, 'cache-control': 'public, max-age=300' },
      body: file.body,
    };
  }
  if (method === 'GET' && path === '/login') return startSignIn(request, deps);
  if (method === 'GET' && path === '/login/callback') return finishSignIn(request, deps);

  const session = await currentSession(request, deps);
  if (method === 'POST' && path === '/logout') {
    if (session && request.form.get('csrf') === session.csrfToken)
      await endSession(deps.table, session.sessionId);
    return redirect('/', [cookie(sessionCookie, '', { maxAgeSeconds: 0, secure: secure(deps) })]);
  }
  if (!session) {
    if (method === 'GET' && path === '/') return html(200, signInPage());
    // An anonymous visitor is sent to sign in, and comes back here after.
    return method === 'GET'
      ? redirect(`/login?return=${encodeURIComponent(path)}`)
      : html(403, notFoundPage(null));
  }
  try {
    return await signedInRoute(request, deps, session);
  } catch (error) {
    // GitHub no longer takes the person's token (expired, or the App's authorization revoked):
    // the session ends and they sign in again, coming back here.
    if (!(error instanceof SignInError)) throw error;
    await endSession(deps.table, session.sessionId);
    return method === 'GET'
      ? redirect(`/login?return=${encodeURIComponent(path)}`, [
          cookie(sessionCookie, '', { maxAgeSeconds: 0, secure: secure(deps) }),
        ])
      : html(403, notFoundPage(null));
  }
}

/** What a signed-in person asked for. */
async function signedInRoute(
  request: DashboardRequest,
  deps: DashboardDependencies,
  session: Session,
): Promise<DashboardResponse> {
  const { method, path } = request;
  const viewer = { login: session.login, csrfToken: session.csrfToken };
  const visible = await visibleInstallations(session, deps);
  if (method === 'GET' && path === '/') {
    const cards = await Promise.all(
      visible.map(async (installation) => ({
        installationId: installation.id,
        accountLogin: installation.accountLogin,
        repositories: await syncProgressView(deps.table, installation.id),
      })),
    );
    return html(200, installationsPage(cards, viewer));
  }
  const match =
    /^\/installations\/(\d{1,15})(\/progress\.json|\/settings|\/pull-requests\.csv|\/(?:repositories|authors)\/\d{1,15}|\/weeks\/\d{4}-W(?:0[1-9]|[1-4]\d|5[0-3]))?$/.exec(
      path,
    );
  const listed = visible.find((installation) => installation.id === Number(match?.[1]));
  const installation =
    match && listed && mayView(visible, listed.id)
      ? await getInstallation(deps.table, listed.id)
      : undefined;
  if (!listed || !installation || installation.status === 'deleted')
    return html(404, notFoundPage(viewer));
  return installationRoute(request, deps, {
    session,
    listed,
    installation,
    page: match?.[2] ?? '',
  });
}

interface InstallationContext {
  session: Session;
  listed: ListedInstallation;
  installation: InstallationRecord;
  /** The part of the path after the installation: '', '/progress.json', '/settings', '/pull-requests.csv'. */
  page: string;
}

/** A page of one installation the person may see. */
async function installationRoute(
  request: DashboardRequest,
  deps: DashboardDependencies,
  { session, listed, installation, page }: InstallationContext,
): Promise<DashboardResponse> {
  const { installationId } = installation;
  const viewer = { login: session.login, csrfToken: session.csrfToken };
  const timeZone = installationTimeZone(installation);
  const admin = async () => {
    const client = new GitHubPersonClient(deps.signIn.apiUrl, session.githubToken);
    const role =
      listed.accountType === 'Organization' ? await client.role(listed.accountLogin) : null;
    return mayChangeSettings(listed, session, role);
  };
  if (page === '/settings') {
    if (!(await admin())) return html(403, notAdminPage(installation, viewer));
    if (request.method === 'GET')
      return html(200, settingsPage(installation, viewer, { saved: request.query.has('saved') }));
    if (request.method !== 'POST') return html(404, notFoundPage(viewer));
    if (request.form.get('csrf') !== session.csrfToken) return html(403, notFoundPage(viewer));
    const field = (name: keyof SettingsForm) => (request.form.get(name) ?? '').trim();
    const typed: SettingsForm = {
      recipients: request.form.get('recipients') ?? '',
      timeZone: field('timeZone'),
      deploymentSource: field('deploymentSource'),
      productionEnvironments: field('productionEnvironments'),
      incidentLabels: field('incidentLabels'),
      incidentWindowHours: field('incidentWindowHours'),
    };
    const rules = deliveryRules(installation);
    // A rule left as it was is not stored: an installation on the defaults keeps following them.
    const changed = <T>(value: T, current: T) => (value === current ? undefined : value);
    const change = settingsChangeSchema.safeParse({
      showAuthors: request.form.get('showAuthors') === 'on',
      recipients: typed.recipients
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== ''),
      timeZone: typed.timeZone,
      deploymentSource: changed(typed.deploymentSource, rules.source),
      productionEnvironments: changed(typed.productionEnvironments, rules.productionPattern),
      incidentLabels: changed(typed.incidentLabels, rules.incidentRules.labelPattern),
      incidentWindowHours: changed(
        typedHours(typed.incidentWindowHours),
        rules.incidentRules.windowHours,
      ),
    });
    if (!change.success)
      return html(
        400,
        settingsPage(installation, viewer, { problems: describeIssues(change.error), typed }),
      );
    await updateSettings(deps.table, installationId, change.data, deps.now());
    return redirect(`/installations/${installationId}/settings?saved`);
  }
  if (request.method !== 'GET') return html(404, notFoundPage(viewer));
  if (page === '/pull-requests.csv') {
    const range = weekRange(request.query, deps.now(), timeZone);
    if (typeof range === 'string') return html(400, messagePage('Bad request', range, viewer));
    const pullRequests = await weekPullRequests(deps.table, installationId, range.window);
    return {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="${installation.accountLogin}-${range.from}-${range.to}.csv"`,
      },
      body: pullRequestsCsv(mergedPullRequests(pullRequests, range.window, deps.signIn.webUrl)),
    };
  }
  const week = /^\/weeks\/(\d{4}-W\d{2})$/.exec(page)?.[1];
  if (week) {
    const window = weekBounds(week, timeZone);
    const merged = mergedPullRequests(
      await weekPullRequests(deps.table, installationId, window),
      window,
      deps.signIn.webUrl,
    );
    return html(200, weekPage(installation, week, merged, viewer));
  }
  const repositories = await syncProgressView(deps.table, installationId);
  if (page === '/progress.json') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        repositories: repositories.map((repo) => ({
          ...repo,
          state: repositoryState(repo, timeZone),
        })),
      }),
    };
  }
  const view = await weeklyMetricsView(deps.table, installation, {
    weeks: trendWeeks,
    now: deps.now(),
  });
  const showAuthors = installation.showAuthors === true;
  const scope = /^\/(repositories|authors)\/(\d+)$/.exec(page);
  if (scope) {
    // Per-person figures only where the installation turned them on.
    if (scope[1] === 'authors' && !showAuthors) return html(404, notFoundPage(viewer));
    const shown = scopePage(view, scope[1] as 'repositories' | 'authors', Number(scope[2]), viewer);
    return shown ? html(200, shown) : html(404, notFoundPage(viewer));
  }
  return html(
    200,
    installationPage(view, repositories, viewer, {
      settings: await admin(),
      showAuthors,
      delivery: deliveryRules(installation),
    }),
  );
}

/** Weeks shown at most in one CSV: half a year. */
const csvMaxWeeks = 26;

/** `from` and `to` ISO weeks (default: the last four finished weeks) as one window, or why not. */
function weekRange(
  query: URLSearchParams,
  now: Date,
  timeZone: string,
): { from: string; to: string; window: { start: Date; end: Date } } | string {
  const to = query.get('to') ?? finishedWeek(now, timeZone);
  const from = query.get('from') ?? shiftWeek(to, -3);
  const isoWeek = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
  if (!isoWeek.test(from) || !isoWeek.test(to))
    return 'from and to must be ISO weeks such as 2026-W47.';
  const start = weekBounds(from, timeZone).start;
  const end = weekBounds(to, timeZone).end;
  const weeks = Math.round((end.getTime() - start.getTime()) / (7 * 86_400_000));
  if (weeks < 1 || weeks > csvMaxWeeks)
    return `from must not be after to, and at most ${csvMaxWeeks} weeks apart.`;
  return { from, to, window: { start, end } };
}

const secure = (deps: DashboardDependencies) => deps.signIn.callbackUrl.startsWith('https:');

async function startSignIn(
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
    cookie(signInCookie, sealed, { maxAgeSeconds: signInSeconds, secure: secure(deps) }),
  ]);
}

async function finishSignIn(
  request: DashboardRequest,
  deps: DashboardDependencies,
): Promise<DashboardResponse> {
  const now = deps.now();
  const pending = unseal(
    deps.sessionKey,
    readCookies(request.cookies).get(signInCookie) ?? '',
    now.getTime(),
  ) as {
    state: string;
    verifier: string;
    returnTo: string;
  } | null;
  const code = request.query.get('code');
  if (!pending || !code || request.query.get('state') !== pending.state)
    return html(
      400,
      signInPage('The sign-in expired or did not start here. Please sign in again.'),
    );
  try {
    const { token, expiresInSeconds } = await exchangeCode(deps.signIn, code, pending.verifier);
    const person = await new GitHubPersonClient(deps.signIn.apiUrl, token).me();
    const session = await createSession(
      deps.table,
      {
        userId: person.id,
        login: person.login,
        githubToken: token,
        tokenSeconds: expiresInSeconds,
      },
      now,
    );
    const sealed = seal(deps.sessionKey, session.sessionId, session.expiresAt * 1000);
    return redirect(pending.returnTo, [
      cookie(sessionCookie, sealed, {
        maxAgeSeconds: session.expiresAt - Math.floor(now.getTime() / 1000),
        secure: secure(deps),
      }),
      cookie(signInCookie, '', { maxAgeSeconds: 0, secure: secure(deps) }),
    ]);
  } catch (error) {
    if (error instanceof SignInError) return html(400, signInPage(error.message));
    throw error;
  }
}

async function currentSession(
  request: DashboardRequest,
  deps: DashboardDependencies,
): Promise<Session | null> {
  const sealed = readCookies(request.cookies).get(sessionCookie);
  if (!sealed) return null;
  const sessionId = unseal(deps.sessionKey, sealed, deps.now().getTime());
  return typeof sessionId === 'string' ? getSession(deps.table, sessionId, deps.now()) : null;
}

/** GitHub's list of the person's installations, asked at most once a minute per session. */
async function visibleInstallations(
  session: Session,
  deps: DashboardDependencies,
): Promise<ListedInstallation[]> {
  const now = deps.now();
  if (session.visible && visibleListIsFresh(session.visible.checkedAt, now.getTime()))
    return session.visible.installations;
  const installations = await new GitHubPersonClient(
    deps.signIn.apiUrl,
    session.githubToken,
  ).installations();
  await rememberVisibleInstallations(deps.table, session.sessionId, {
    installations,
    checkedAt: now.toISOString(),
  });
  return installations;
}
