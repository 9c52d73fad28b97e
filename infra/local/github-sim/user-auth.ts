import { createHash, randomBytes } from 'node:crypto';
import { escapeHtml } from '#shared/views/format.ts';
import type { SimUser } from './dataset.ts';
import { page } from './web-pages.ts';

/**
 * Signing in with GitHub, as a GitHub App's user authorization does it: the
 * web flow with `state` and PKCE (S256). The authorize page offers one
 * button per simulated person, the login as its text, and the token endpoint
 * trades the code for a `ghu_` user token, checking the client secret, the
 * redirect URI and the code verifier.
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

const codeLifetimeMs = 10 * 60_000;
/** GitHub App user tokens expire after eight hours. */
const userTokenLifetimeMs = 8 * 3_600_000;

interface Grant {
  user: SimUser;
  redirectUri: string;
  challenge: string;
  expiresAt: number;
}

export class UserAuthority {
  readonly client: OAuthClient;
  private readonly people: readonly SimUser[];
  private readonly now: () => number;
  private readonly codes = new Map<string, Grant>();
  private readonly tokens = new Map<string, { user: SimUser; expiresAt: number }>();

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

  /** `POST /login/oauth/access_token`: a code, once, for a user token; GitHub's error shapes otherwise. */
  exchange(form: URLSearchParams): Record<string, string | number> {
    if (
      form.get('client_id') !== this.client.clientId ||
      form.get('client_secret') !== this.client.clientSecret
    )
      return {
        error: 'incorrect_client_credentials',
        error_description: 'The client_id and/or client_secret passed are incorrect.',
      };
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
      return {
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect or expired.',
      };
    const token = `ghu_${randomBytes(27).toString('base64url').slice(0, 36)}`;
    this.tokens.set(token, { user: grant.user, expiresAt: this.now() + userTokenLifetimeMs });
    return {
      access_token: token,
      expires_in: userTokenLifetimeMs / 1000,
      token_type: 'bearer',
      scope: '',
    };
  }

  /** The person a live `ghu_` token speaks for, or undefined. */
  userFor(token: string): SimUser | undefined {
    const found = this.tokens.get(token);
    return found && found.expiresAt > this.now() ? found.user : undefined;
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

function html(status: number, body: string): WebReply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}
