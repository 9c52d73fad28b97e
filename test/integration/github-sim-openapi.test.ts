import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { responseValidator } from '../support/github-openapi.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { personOctokit } from '../support/sim-sign-in.ts';

/**
 * Every REST response the simulator can produce, obtained through Octokit and
 * validated against GitHub's own OpenAPI description of that operation
 * (@octokit/openapi, api.github.com).
 */
const dataset = {
  seed: 99,
  installationId: 9,
  organisation: 'spec-org',
  repositories: [{ name: 'api', pullRequests: 120 }],
};
let sim: GitHubSimulator;
/** The same organisation where the App lacks the "Members" permission. */
let withoutMembers: GitHubSimulator;
let octokit: Octokit;
let appOctokit: Octokit;
/** The organisation's owner, signed in. */
let person: Octokit;
beforeAll(async () => {
  sim = await startGitHubSimulator({
    dataset,
    webhook: { url: 'http://127.0.0.1:9/unreachable', secret: 's' },
  });
  withoutMembers = await startGitHubSimulator({ dataset, appPermissions: { metadata: 'read' } });
  octokit = simOctokit(sim);
  appOctokit = simOctokit(sim, { asApp: true });
  person = await personOctokit(sim, sim.admin);
  await sim.activity.open('spec-org/api');
});
afterAll(async () => {
  await sim.stop();
  await withoutMembers.stop();
});

/** A refusal's body, which Octokit throws with. */
const refusal = (e: { response: { data: unknown } }) => e.response.data;

const repo = { owner: 'spec-org', repo: 'api' };

const cases: [string, string, number, () => Promise<unknown>][] = [
  [
    '/installation/repositories',
    'get',
    200,
    async () => (await octokit.request('GET /installation/repositories')).data,
  ],
  [
    '/repos/{owner}/{repo}',
    'get',
    200,
    async () => (await octokit.request('GET /repos/{owner}/{repo}', repo)).data,
  ],
  [
    '/repos/{owner}/{repo}/pulls',
    'get',
    200,
    async () =>
      (
        await octokit.request('GET /repos/{owner}/{repo}/pulls', {
          ...repo,
          state: 'all',
          per_page: 100,
        })
      ).data,
  ],
  // A merged, a closed and an open pull request (the last one opened by simulated activity).
  ...[3, 17, 121].map((pull_number): [string, string, number, () => Promise<unknown>] => [
    '/repos/{owner}/{repo}/pulls/{pull_number}',
    'get',
    200,
    async () =>
      (
        await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
          ...repo,
          pull_number,
        })
      ).data,
  ]),
  [
    '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    'get',
    200,
    async () =>
      (
        await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
          ...repo,
          pull_number: 5,
        })
      ).data,
  ],
  [
    '/repos/{owner}/{repo}/pulls/{pull_number}/commits',
    'get',
    200,
    async () =>
      (
        await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', {
          ...repo,
          pull_number: 5,
        })
      ).data,
  ],
  [
    '/repos/{owner}/{repo}/deployments',
    'get',
    200,
    async () =>
      (await octokit.request('GET /repos/{owner}/{repo}/deployments', { ...repo, per_page: 100 }))
        .data,
  ],
  [
    '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    'get',
    200,
    async () => {
      const [deployment] = (await octokit.request('GET /repos/{owner}/{repo}/deployments', repo))
        .data;
      return (
        await octokit.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
          ...repo,
          deployment_id: Number(deployment?.id),
        })
      ).data;
    },
  ],
  [
    '/repos/{owner}/{repo}/commits',
    'get',
    200,
    async () =>
      (await octokit.request('GET /repos/{owner}/{repo}/commits', { ...repo, per_page: 100 })).data,
  ],
  [
    '/repos/{owner}/{repo}/releases',
    'get',
    200,
    async () =>
      (await octokit.request('GET /repos/{owner}/{repo}/releases', { ...repo, per_page: 100 }))
        .data,
  ],
  [
    '/repos/{owner}/{repo}/tags',
    'get',
    200,
    async () =>
      (await octokit.request('GET /repos/{owner}/{repo}/tags', { ...repo, per_page: 100 })).data,
  ],
  [
    '/repos/{owner}/{repo}/issues',
    'get',
    200,
    async () =>
      (
        await octokit.request('GET /repos/{owner}/{repo}/issues', {
          ...repo,
          state: 'all',
          per_page: 100,
        })
      ).data,
  ],
  [
    '/repos/{owner}/{repo}/issues/{issue_number}',
    'get',
    200,
    async () => {
      const [issue] = (await octokit.request('GET /repos/{owner}/{repo}/issues', repo)).data;
      return (
        await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
          ...repo,
          issue_number: issue?.number ?? 0,
        })
      ).data;
    },
  ],
  ['/rate_limit', 'get', 200, async () => (await octokit.request('GET /rate_limit')).data],
  [
    '/app/installations/{installation_id}/access_tokens',
    'post',
    201,
    async () =>
      (
        await appOctokit.request('POST /app/installations/{installation_id}/access_tokens', {
          installation_id: 9,
        })
      ).data,
  ],
  [
    '/app/hook/deliveries',
    'get',
    200,
    async () => (await appOctokit.request('GET /app/hook/deliveries')).data,
  ],
  [
    '/app/hook/deliveries/{delivery_id}/attempts',
    'post',
    202,
    async () =>
      (
        await appOctokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
          delivery_id: 1,
        })
      ).data,
  ],
  ...(['organization-1-day', 'users-1-day'] as const).map(
    (report): [string, string, number, () => Promise<unknown>] => [
      `/orgs/{org}/copilot/metrics/reports/${report}`,
      'get',
      200,
      async () =>
        (
          await octokit.request(`GET /orgs/{org}/copilot/metrics/reports/${report}`, {
            org: 'spec-org',
            day: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10),
          })
        ).data,
    ],
  ),
  [
    '/repos/{owner}/{repo}',
    'get',
    404,
    () => octokit.request('GET /repos/{owner}/{repo}', { owner: 'x', repo: 'y' }).catch(refusal),
  ],
  [
    '/orgs/{org}/teams',
    'get',
    200,
    async () => (await octokit.request('GET /orgs/{org}/teams', { org: 'spec-org' })).data,
  ],
  [
    '/orgs/{org}/teams',
    'get',
    403,
    () =>
      simOctokit(withoutMembers)
        .request('GET /orgs/{org}/teams', { org: 'spec-org' })
        .catch(refusal),
  ],
  // A parent team: its own members and, inherited, its child team's.
  [
    '/orgs/{org}/teams/{team_slug}/members',
    'get',
    200,
    async () =>
      (
        await octokit.request('GET /orgs/{org}/teams/{team_slug}/members', {
          org: 'spec-org',
          team_slug: 'platform',
        })
      ).data,
  ],
  [
    '/orgs/{org}/teams/{team_slug}/memberships/{username}',
    'get',
    200,
    async () => {
      const [member] = (
        await octokit.request('GET /orgs/{org}/teams/{team_slug}/members', {
          org: 'spec-org',
          team_slug: 'security',
        })
      ).data;
      return (
        await octokit.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', {
          org: 'spec-org',
          team_slug: 'security',
          username: member?.login ?? '',
        })
      ).data;
    },
  ],
  ['/user', 'get', 200, async () => (await person.request('GET /user')).data],
  [
    '/user/installations',
    'get',
    200,
    async () => (await person.request('GET /user/installations')).data,
  ],
  [
    '/user/installations/{installation_id}/repositories',
    'get',
    200,
    async () =>
      (
        await person.request('GET /user/installations/{installation_id}/repositories', {
          installation_id: 9,
        })
      ).data,
  ],
  [
    '/user/installations/{installation_id}/repositories',
    'get',
    404,
    () =>
      person
        .request('GET /user/installations/{installation_id}/repositories', {
          installation_id: 8,
        })
        .catch(refusal),
  ],
  [
    '/user/memberships/orgs/{org}',
    'get',
    200,
    async () =>
      (await person.request('GET /user/memberships/orgs/{org}', { org: 'spec-org' })).data,
  ],
  [
    '/user/memberships/orgs/{org}',
    'get',
    404,
    () => person.request('GET /user/memberships/orgs/{org}', { org: 'other-org' }).catch(refusal),
  ],
  [
    '/user/memberships/orgs/{org}',
    'get',
    403,
    async () =>
      (await personOctokit(withoutMembers, withoutMembers.admin))
        .request('GET /user/memberships/orgs/{org}', { org: 'spec-org' })
        .catch(refusal),
  ],
];

describe('GitHub simulator REST responses against GitHub OpenAPI', () => {
  it.each(cases)('%s %s %i conforms', async (path, method, status, call) => {
    const validate = responseValidator(path, method, status);

    const body = await call();

    expect(validate(body) ? [] : validate.errors).toEqual([]);
  });

  it('is able to reject a non-conforming body', () => {
    const validate = responseValidator('/repos/{owner}/{repo}/pulls/{pull_number}', 'get', 200);

    expect(validate({ number: 'one' })).toBe(false);
  });
});
