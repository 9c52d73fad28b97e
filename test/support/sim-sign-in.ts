import { createHash, randomBytes } from 'node:crypto';
import { exchangeWebFlowCode } from '@octokit/oauth-methods';
import { Octokit } from '@octokit/rest';
import type { SimUser } from '#infra/local/github-sim/dataset.ts';
import type { GitHubSimulator } from '#infra/local/github-sim/server.ts';

/** Where the simulator sends a person back with their code (nobody listens; the code is in the URL). */
export const callbackUrl = 'http://127.0.0.1:9/login/callback';

/** The person's click on the authorize page, up to the code GitHub sends back to the callback. */
export async function authorizationCode(
  sim: GitHubSimulator,
  person: SimUser,
  verifier: string,
): Promise<string> {
  const granted = await fetch(`${sim.url}/login/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      client_id: sim.oauthClient.clientId,
      redirect_uri: callbackUrl,
      state: 'st',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      user: String(person.id),
    }),
  });
  return new URL(granted.headers.get('location') ?? '').searchParams.get('code') ?? '';
}

/**
 * The request @octokit/oauth-methods sends to the simulator's token endpoint;
 * `code_verifier`, which its methods take no option for, rides along as a default.
 */
export function tokenRequest(sim: GitHubSimulator, verifier?: string) {
  const { request } = new Octokit({ baseUrl: sim.url });
  return verifier === undefined ? request : request.defaults({ code_verifier: verifier });
}

/** Signs a person in through the web flow, exchanging the code as the dashboard does. */
export async function signIn(sim: GitHubSimulator, person: SimUser) {
  const verifier = randomBytes(32).toString('base64url');
  const code = await authorizationCode(sim, person, verifier);
  return exchangeWebFlowCode({
    clientType: 'github-app',
    clientId: sim.oauthClient.clientId,
    clientSecret: sim.oauthClient.clientSecret,
    code,
    redirectUrl: callbackUrl,
    request: tokenRequest(sim, verifier),
  });
}

/** Octokit as a signed-in person, on their user token. */
export async function personOctokit(sim: GitHubSimulator, person: SimUser): Promise<Octokit> {
  const { authentication } = await signIn(sim, person);
  return new Octokit({ baseUrl: sim.url, auth: authentication.token });
}
