import { createHash, randomBytes } from 'node:crypto';
import {
  exchangeWebFlowCode,
  getWebFlowAuthorizationUrl,
  refreshToken,
} from '@octokit/oauth-methods';
import { request as octokitRequest } from '@octokit/request';
import { RequestError } from '@octokit/request-error';
import { Octokit } from '@octokit/rest';
import { withTransientRetry } from '../github/transient-retry.ts';

/**
 * Signing a person in with the GitHub App's user authorization (the OAuth
 * web flow with `state` and PKCE, and the refresh of GitHub's expiring user
 * tokens), by `@octokit/oauth-methods`; and what the dashboard asks GitHub
 * as that person, by `@octokit/rest`: who they are, which installations and
 * repositories GitHub lists for them, and their role in an organisation.
 */
export interface SignInConfig {
  /** github.com, an Enterprise Server host, or the simulator: pull request links and the sign-in form's target. */
  webUrl: string;
  /** GitHub's API; oauth-methods finds the sign-in host from it (api.github.com → github.com). */
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
  /** The account's id: a user account's owner is known by it (a login can be renamed and taken). */
  accountId: number;
  accountLogin: string;
  accountType: string;
}

/** A person's role in an organisation, as GitHub tells it (`role`). */
export type OrganisationRole = 'admin' | 'member' | 'not-granted' | null;

/** A person's GitHub user token, and how to renew it; times in epoch ms. */
export interface UserTokens {
  token: string;
  /** Absent for tokens that do not expire (an App with expiring user tokens turned off). */
  expiresAt?: number;
  refreshToken?: string;
  refreshTokenExpiresAt?: number;
}

/** GitHub refused the person's sign-in or token: they sign in again. */
export class SignInError extends Error {}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const oauthRequest = (config: SignInConfig, extra: Record<string, string> = {}) =>
  octokitRequest.defaults({ baseUrl: config.apiUrl, ...extra });

/** GitHub's authorize page for this sign-in; PKCE's challenge added, as oauth-methods has no option for it. */
export function authorizeUrl(config: SignInConfig, state: string, challenge: string): string {
  const { url } = getWebFlowAuthorizationUrl({
    clientType: 'github-app',
    clientId: config.clientId,
    redirectUrl: config.callbackUrl,
    state,
    request: oauthRequest(config),
  });
  const withChallenge = new URL(url);
  withChallenge.searchParams.set('code_challenge', challenge);
  withChallenge.searchParams.set('code_challenge_method', 'S256');
  return withChallenge.href;
}

const tokensOf = (authentication: {
  token: string;
  expiresAt?: string;
  refreshToken?: string;
  refreshTokenExpiresAt?: string;
}): UserTokens => ({
  token: authentication.token,
  ...(authentication.expiresAt ? { expiresAt: Date.parse(authentication.expiresAt) } : {}),
  ...(authentication.refreshToken ? { refreshToken: authentication.refreshToken } : {}),
  ...(authentication.refreshTokenExpiresAt
    ? { refreshTokenExpiresAt: Date.parse(authentication.refreshTokenExpiresAt) }
    : {}),
});

/** GitHub's OAuth errors (a 400 with `error`) as a SignInError; anything else is ours to log. */
async function refusedAsSignInError<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RequestError && error.status < 500)
      throw new SignInError(`GitHub refused the ${what}: ${error.message}`);
    throw error;
  }
}

/** Trades the callback's code for the person's tokens (kept server-side, sealed, in their session). */
export async function exchangeCode(
  config: SignInConfig,
  code: string,
  verifier: string,
): Promise<UserTokens> {
  const { authentication } = await refusedAsSignInError(
    () =>
      exchangeWebFlowCode({
        clientType: 'github-app',
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        code,
        redirectUrl: config.callbackUrl,
        // The PKCE verifier rides along as one more body parameter: oauth-methods sends what its request carries.
        request: oauthRequest(config, { code_verifier: verifier }),
      }),
    'sign-in',
  );
  return tokensOf(authentication);
}

/** A new user token (and refresh token) for one whose token expired; the old refresh token stops working. */
export async function refreshTokens(config: SignInConfig, refresh: string): Promise<UserTokens> {
  const { authentication } = await refusedAsSignInError(
    () =>
      refreshToken({
        clientType: 'github-app',
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        refreshToken: refresh,
        request: oauthRequest(config),
      }),
    'token refresh',
  );
  return tokensOf(authentication);
}

/** The person's user token as a client needs it: the live one, and a renewed one when GitHub refuses it. */
export interface TokenSource {
  current(): Promise<string>;
  /** A new token after GitHub answered 401, or null when it cannot be renewed. */
  renew(): Promise<string | null>;
}

/** A token that cannot be renewed (the one the sign-in just received). */
export const fixedToken = (token: string): TokenSource => ({
  current: async () => token,
  renew: async () => null,
});

/** A page waits on GitHub this long at most for retries of its transient failures. */
const retryBudgetMs = 3000;

/**
 * GitHub's REST API as one signed-in person, one client per request.
 * Transient failures are retried as the sync's are (`withTransientRetry`),
 * within a page's patience; a 401 is tried once more with a renewed token
 * (GitHub's clock, or a revocation, may disagree with the expiry we hold);
 * a rate limit is not waited out — a person waiting on a page is told instead.
 */
export class GitHubPersonClient {
  private readonly octokit: Octokit;

  constructor(apiUrl: string, tokens: TokenSource) {
    this.octokit = new Octokit({
      baseUrl: apiUrl,
      userAgent: 'flowmeter-dashboard',
      // Each failure reaches its caller, which decides what it means (a 404 may be an answer).
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    const started = Date.now();
    this.octokit.hook.wrap('request', async (send, options) => {
      const attempt = async (token: string) => {
        // Set in place: Octokit's request reads the options it was handed, not a copy passed on.
        options.headers.authorization = `token ${token}`;
        return withTransientRetry(async () => send(options), {
          retries: 2,
          baseMs: 200,
          capMs: 1000,
          remainingMs: () => retryBudgetMs - (Date.now() - started),
        });
      };
      try {
        return await attempt(await tokens.current());
      } catch (error) {
        if (!(error instanceof RequestError) || error.status !== 401) throw error;
        const renewed = await tokens.renew();
        if (!renewed) throw error;
        return attempt(renewed);
      }
    });
  }

  async me(): Promise<GitHubPerson> {
    const { data } = await this.call(() => this.octokit.rest.users.getAuthenticated());
    return { id: data.id, login: data.login };
  }

  /** Every installation of this App that GitHub lists for the person (all pages). */
  async installations(): Promise<ListedInstallation[]> {
    const installations = await this.call(() =>
      this.octokit.paginate(this.octokit.rest.apps.listInstallationsForAuthenticatedUser, {
        per_page: 100,
      }),
    );
    return installations.map(({ id, account }) => ({
      id,
      accountId: account?.id ?? 0,
      accountLogin: account && 'login' in account ? account.login : '',
      accountType: account && 'type' in account ? account.type : 'Organization',
    }));
  }

  /** The ids of the installation's repositories GitHub lets the person access (all pages). */
  async repositoryIds(installationId: number): Promise<number[]> {
    const repositories = await this.call(() =>
      this.octokit.paginate(this.octokit.rest.apps.listInstallationReposForAuthenticatedUser, {
        installation_id: installationId,
        per_page: 100,
      }),
    );
    return repositories.map((repository) => repository.id);
  }

  /**
   * The person's role in `organisation`: null when not an active member;
   * `not-granted` when GitHub will not say because the App lacks the
   * organisation's Members permission (an owner has not yet approved it).
   */
  async role(organisation: string): Promise<OrganisationRole> {
    try {
      const { data } = await this.call(() =>
        this.octokit.rest.orgs.getMembershipForAuthenticatedUser({ org: organisation }),
      );
      if (data.state !== 'active') return null;
      return data.role === 'admin' ? 'admin' : 'member';
    } catch (error) {
      if (error instanceof RequestError && error.status === 404) return null;
      if (error instanceof RequestError && error.status === 403) return 'not-granted';
      throw error;
    }
  }

  /** A 401 means the token is no longer good (expired, or the App's authorization revoked). */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof RequestError && error.status === 401)
        throw new SignInError('GitHub no longer accepts the sign-in');
      throw error;
    }
  }
}
