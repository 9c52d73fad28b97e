import { createHash, randomBytes } from 'node:crypto';

/**
 * Signing a person in with the GitHub App's user authorization (the OAuth
 * web flow with `state` and PKCE), and what the dashboard asks GitHub with
 * their token: who they are, which installations of the App GitHub lists
 * for them, and their role in an organisation.
 */
export interface SignInConfig {
  /** github.com, an Enterprise Server host, or the simulator. */
  webUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** Where GitHub sends the person back: the dashboard's `/login/callback`. */
  callbackUrl: string;
}

export interface GitHubPerson {
  id: number;
  login: string;
}

export interface ListedInstallation {
  id: number;
  accountLogin: string;
  accountType: string;
}

export class SignInError extends Error {}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(config: SignInConfig, state: string, challenge: string): string {
  const url = new URL('/login/oauth/authorize', config.webUrl);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.callbackUrl);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.href;
}

/** Trades the callback's code for the person's token (kept server-side, in their session). */
export async function exchangeCode(
  config: SignInConfig,
  code: string,
  verifier: string,
): Promise<{ token: string; expiresInSeconds: number }> {
  const response = await fetch(new URL('/login/oauth/access_token', config.webUrl), {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: config.clientId,
      client_secret: config.clientSecret,
      code,
      redirect_uri: config.callbackUrl,
      code_verifier: verifier,
    }),
  });
  const answer = (await response.json()) as {
    access_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !answer.access_token)
    throw new SignInError(
      `GitHub refused the sign-in: ${answer.error_description ?? answer.error ?? response.status}`,
    );
  // Tokens of Apps that do not expire them carry no expiry: the session's own lifetime applies.
  return { token: answer.access_token, expiresInSeconds: answer.expires_in ?? 8 * 3600 };
}

/** GitHub's REST API as one signed-in person. */
export class GitHubPersonClient {
  private readonly apiUrl: string;
  private readonly token: string;

  constructor(apiUrl: string, token: string) {
    this.apiUrl = apiUrl.replace(/\/+$/, '');
    this.token = token;
  }

  async me(): Promise<GitHubPerson> {
    const { id, login } = (await this.get('/user')) as GitHubPerson;
    return { id, login };
  }

  /** Every installation of this App that GitHub lists for the person (all pages). */
  async installations(): Promise<ListedInstallation[]> {
    const listed: ListedInstallation[] = [];
    for (let page = 1; ; page++) {
      const { installations } = (await this.get(
        `/user/installations?per_page=100&page=${page}`,
      )) as {
        installations: { id: number; account: { login: string; type: string } }[];
      };
      listed.push(
        ...installations.map(({ id, account }) => ({
          id,
          accountLogin: account.login,
          accountType: account.type,
        })),
      );
      if (installations.length < 100) return listed;
    }
  }

  /** The person's role in `organisation`, or null when not an active member. */
  async role(organisation: string): Promise<'admin' | 'member' | null> {
    const membership = (await this.get(
      `/user/memberships/orgs/${encodeURIComponent(organisation)}`,
      [404, 403],
    )) as { state?: string; role?: string } | null;
    if (membership?.state !== 'active') return null;
    return membership.role === 'admin' ? 'admin' : 'member';
  }

  private async get(path: string, absentOn: readonly number[] = []): Promise<unknown> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'flowmeter-dashboard',
      },
    });
    if (absentOn.includes(response.status)) return null;
    if (response.status === 401) throw new SignInError('GitHub no longer accepts the sign-in');
    if (!response.ok) throw new Error(`GitHub answered ${response.status} to GET ${path}`);
    return response.json();
  }
}
