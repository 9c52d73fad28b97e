import { createHash, randomBytes } from 'node:crypto';
import { escapeHtml } from '#shared/views/format.ts';
import type { SimUser } from './dataset.ts';
import { page } from './web-pages.ts';

/**
 * Signing in with GitHub, as a GitHub App's user authorization does it: the
 * web flow with `state` and PKCE (S256). The authorize page offers one
 * button per simulated person, the login as its text, and the token
 * endpoint trades the code for a `ghu_` user token that expires, with a
 * `ghr_` refresh token beside it (an App that keeps user-token expiry on,
 * GitHub's default), checking the client secret, the redirect URI and the
 * code verifier. A refresh token buys a new pair once.
 */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface WebReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What `POST /login/oauth/access_token` answers: tokens, or GitHub's error triple. */
export type TokenAnswer = Record<string, string | number>;

const codeLifetimeMs = 10 * 60_000;
/** GitHub App user tokens expire after eight hours... */
const userTokenLifetimeSeconds = 28_800;
/** ...their refresh tokens after six months, "always 15897600" seconds by GitHub's docs. */
const refreshTokenLifetimeSeconds = 15_897_600;
/** Where GitHub's token errors point (its `error_uri`). */
const troubleshooting =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';

interface Grant {
  user: SimUser;
  redirectUri: string;
  challenge: string;
  expiresAt: number;
}

interface Issued {
  user: SimUser;
  expiresAt: number;
}

export class UserAuthority {
  readonly client: OAuthClient;
  private readonly people: readonly SimUser[];
  private readonly now: () => number;
  private readonly codes = new Map<string, Grant>();
  private readonly tokens = new Map<string, Issued>();
  /** Each live refresh token, with the access token issued beside it. */
  private readonly refreshTokens = new Map<string, Issued & { accessToken: string }>();

  constructor(people: readonly SimUser[], now: () => number, client?: OAuthClient) {
    this.people = people;
    this.now = now;
    this.client = client ?? {
      clientId: 'Iv1.simulator0000001',
      clientSecret: randomBytes(20).toString('hex'),
    };
  }

  /** `GET /login/oauth/authorize`: the page that asks who signs in. */
  authorizePage(url: URL): WebReply {
    const params = url.searchParams;
    const refusal = this.refuse(params);
    if (refusal) return html(400, page('Sign in refused', `<p>${escapeHtml(refusal)}</p>`));
    const hidden = ['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']
      .map(
        (name) =>
          `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`,
      )
      .join('');
    const buttons = this.people
      .map(
        (person) =>
          `<form method="post" action="/login/oauth/authorize">${hidden}<button name="user" value="${person.id}">${escapeHtml(person.login)}</button></form>`,
      )
      .join('');
    return html(200, page('Sign in to GitHub to continue to Flowmeter', buttons));
  }

  /** `POST /login/oauth/authorize`: the chosen person authorizes; back to the app with a code. */
  authorize(form: URLSearchParams): WebReply {
    const refusal = this.refuse(form);
    const user = this.people.find((person) => String(person.id) === form.get('user'));
    if (refusal || !user)
      return html(400, page('Sign in refused', `<p>${escapeHtml(refusal ?? 'no such user')}</p>`));
    const code = randomBytes(10).toString('hex');
    const redirectUri = form.get('redirect_uri') as string;
    this.codes.set(code, {
      user,
      redirectUri,
      challenge: form.get('code_challenge') as string,
      expiresAt: this.now() + codeLifetimeMs,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', form.get('state') ?? '');
    return { status: 302, headers: { location: back.href }, body: '' };
  }

  /**
   * `POST /login/oauth/access_token`: a code, once, or (`grant_type=refresh_token`)
   * a refresh token, once, for a new pair; GitHub's error shapes otherwise.
   */
  exchange(form: URLSearchParams): TokenAnswer {
    if (
      form.get('client_id') !== this.client.clientId ||
      form.get('client_secret') !== this.client.clientSecret
    )
      return error(
        'incorrect_client_credentials',
        'The client_id and/or client_secret passed are incorrect.',
        '#incorrect-client-credentials',
      );
    return form.get('grant_type') === 'refresh_token' ? this.refresh(form) : this.redeem(form);
  }

  /** The person a live `ghu_` token speaks for, or undefined. */
  userFor(token: string): SimUser | undefined {
    const found = this.tokens.get(token);
    return found && found.expiresAt > this.now() ? found.user : undefined;
  }

  private redeem(form: URLSearchParams): TokenAnswer {
    const code = form.get('code') ?? '';
    const grant = this.codes.get(code);
    this.codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    if (
      !grant ||
      grant.expiresAt <= this.now() ||
      grant.redirectUri !== form.get('redirect_uri') ||
      createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
    )
      return error(
        'bad_verification_code',
        'The code passed is incorrect or expired.',
        '#bad-verification-code',
      );
    return this.issue(grant.user);
  }

  /**
   * "Once you use a refresh token, that refresh token and the old user access
   * token will no longer work" (GitHub, Refreshing user access tokens).
   */
  private refresh(form: URLSearchParams): TokenAnswer {
    const refreshToken = form.get('refresh_token') ?? '';
    const found = this.refreshTokens.get(refreshToken);
    this.refreshTokens.delete(refreshToken);
    if (!found || found.expiresAt <= this.now())
      return error('bad_refresh_token', 'The refresh token passed is incorrect or expired.', '');
    this.tokens.delete(found.accessToken);
    return this.issue(found.user);
  }

  private issue(user: SimUser): TokenAnswer {
    const accessToken = `ghu_${randomBytes(27).toString('base64url').slice(0, 36)}`;
    const refreshToken = `ghr_${randomBytes(57).toString('base64url').slice(0, 76)}`;
    this.tokens.set(accessToken, { user, expiresAt: this.now() + userTokenLifetimeSeconds * 1000 });
    this.refreshTokens.set(refreshToken, {
      user,
      accessToken,
      expiresAt: this.now() + refreshTokenLifetimeSeconds * 1000,
    });
    // GitHub's order, and its empty scope: a user token has the App's permissions, not scopes.
    return {
      access_token: accessToken,
      expires_in: userTokenLifetimeSeconds,
      refresh_token: refreshToken,
      refresh_token_expires_in: refreshTokenLifetimeSeconds,
      scope: '',
      token_type: 'bearer',
    };
  }

  private refuse(params: URLSearchParams): string | null {
    if (params.get('client_id') !== this.client.clientId) return 'unknown client_id';
    const redirect = params.get('redirect_uri') ?? '';
    if (!URL.canParse(redirect)) return 'redirect_uri is not a URL';
    if (!params.get('state')) return 'state is required';
    if (params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge'))
      return 'a S256 code_challenge is required';
    return null;
  }
}

/** GitHub answers token errors with 200 and this triple. */
function error(code: string, description: string, anchor: string): TokenAnswer {
  return { error: code, error_description: description, error_uri: `${troubleshooting}${anchor}` };
}

function html(status: number, body: string): WebReply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}
