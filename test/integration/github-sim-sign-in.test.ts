import { randomBytes } from 'node:crypto';
import { exchangeWebFlowCode, refreshToken } from '@octokit/oauth-methods';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { authorizationCode, callbackUrl, signIn, tokenRequest } from '../support/sim-sign-in.ts';

/**
 * The simulator's token endpoint as GitHub's, driven by @octokit/oauth-methods
 * (JSON bodies, `accept: application/json`), as the dashboard drives it.
 */
let sim: GitHubSimulator;
beforeAll(async () => {
  sim = await startGitHubSimulator({
    dataset: {
      seed: 5,
      installationId: 50,
      organisation: 'sign-org',
      repositories: [{ name: 'api', pullRequests: 5 }],
    },
  });
});
afterAll(async () => {
  await sim.stop();
});

const hours = (n: number) => n * 3_600_000;
const client = () => ({
  clientType: 'github-app' as const,
  clientId: sim.oauthClient.clientId,
  clientSecret: sim.oauthClient.clientSecret,
});
const login = async (token: string) =>
  (await new Octokit({ baseUrl: sim.url, auth: token }).request('GET /user')).data.login;

describe('the GitHub simulator signing people in', () => {
  it('trades a code for an eight-hour user token and a six-month refresh token, dated by its Date header', async () => {
    const { data, headers, authentication } = await signIn(sim, sim.admin);

    const answered = new Date(headers.date ?? '').getTime();
    expect(data).toMatchObject({
      token_type: 'bearer',
      scope: '',
      expires_in: 28_800,
      refresh_token_expires_in: 15_897_600,
    });
    expect(authentication).toMatchObject({
      token: expect.stringMatching(/^ghu_/),
      refreshToken: expect.stringMatching(/^ghr_/),
      expiresAt: new Date(answered + hours(8)).toISOString(),
      refreshTokenExpiresAt: new Date(answered + 15_897_600_000).toISOString(),
    });
    expect(Math.abs(answered - Date.now())).toBeLessThan(5_000);
    expect(await login(authentication.token)).toBe(sim.admin.login);
  });

  it('refuses a code without its PKCE verifier, and a code twice', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await authorizationCode(sim, sim.admin, verifier);
    const exchange = (request: ReturnType<typeof tokenRequest>) =>
      exchangeWebFlowCode({ ...client(), code, redirectUrl: callbackUrl, request });

    await expect(exchange(tokenRequest(sim))).rejects.toThrow(/bad_verification_code/);
    const again = await authorizationCode(sim, sim.admin, verifier);
    await exchangeWebFlowCode({
      ...client(),
      code: again,
      redirectUrl: callbackUrl,
      request: tokenRequest(sim, verifier),
    });
    await expect(
      exchangeWebFlowCode({
        ...client(),
        code: again,
        redirectUrl: callbackUrl,
        request: tokenRequest(sim, verifier),
      }),
    ).rejects.toThrow(/bad_verification_code/);
  });

  it('still takes a form-encoded exchange, answering form-encoded unless asked for JSON', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await authorizationCode(sim, sim.admin, verifier);

    const response = await fetch(`${sim.url}/login/oauth/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: sim.oauthClient.clientId,
        client_secret: sim.oauthClient.clientSecret,
        code,
        redirect_uri: callbackUrl,
        code_verifier: verifier,
      }),
    });

    expect(response.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    const answer = new URLSearchParams(await response.text());
    expect(answer.get('refresh_token')).toMatch(/^ghr_/);
    expect(await login(answer.get('access_token') ?? '')).toBe(sim.admin.login);
  });

  it('refreshes into a new access token and a new refresh token, retiring the old pair', async () => {
    const { authentication: first } = await signIn(sim, sim.admin);
    if (!('refreshToken' in first)) throw new Error('no refresh token');

    const { authentication: second } = await refreshToken({
      ...client(),
      refreshToken: first.refreshToken,
      request: tokenRequest(sim),
    });

    expect(second.token).not.toBe(first.token);
    expect(second.refreshToken).toMatch(/^ghr_/);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await login(second.token)).toBe(sim.admin.login);
    await expect(login(first.token)).rejects.toMatchObject({ status: 401 });
    await expect(
      refreshToken({ ...client(), refreshToken: first.refreshToken, request: tokenRequest(sim) }),
    ).rejects.toThrow(/The refresh token passed is incorrect or expired. \(bad_refresh_token/);
  });

  it('refuses a refresh with the wrong client secret, and a refresh token past its six months by its clock', async () => {
    const { authentication } = await signIn(sim, sim.admin);
    if (!('refreshToken' in authentication)) throw new Error('no refresh token');
    const refresh = (clientSecret: string) =>
      refreshToken({
        ...client(),
        clientSecret,
        refreshToken: authentication.refreshToken,
        request: tokenRequest(sim),
      });

    await expect(refresh('not-the-secret')).rejects.toThrow(/incorrect_client_credentials/);
    sim.advanceClock(15_897_600_000 + 1_000);
    await expect(refresh(sim.oauthClient.clientSecret)).rejects.toThrow(/bad_refresh_token/);
    const before = Date.now();
    const { headers } = await signIn(sim, sim.admin);
    expect(new Date(headers.date ?? '').getTime()).toBeGreaterThan(before + 15_897_600_000);
  });
});
