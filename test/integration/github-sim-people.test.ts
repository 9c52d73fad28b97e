import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifest from '#infra/github-app-manifest.json' with { type: 'json' };
import type { SimUser } from '#infra/local/github-sim/dataset.ts';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { personOctokit } from '../support/sim-sign-in.ts';
import { withoutMembers } from '../support/without-members.ts';

/**
 * Who reaches which repository of an installation, as GitHub answers a
 * person's user token: organisation members every one, an outside
 * collaborator only theirs, a member kept out of one all but that one.
 */
const demo = {
  seed: 11,
  installationId: 700,
  organisation: 'people-org',
  // Private, public, private: what the dataset makes of these, by their place.
  repositories: [
    { name: 'api', pullRequests: 8 },
    { name: 'web', pullRequests: 4 },
    { name: 'ops', pullRequests: 2 },
  ],
};
const other = {
  seed: 12,
  installationId: 800,
  organisation: 'other-org',
  repositories: [{ name: 'app', pullRequests: 3 }],
};

let sim: GitHubSimulator;
beforeAll(async () => {
  sim = await startGitHubSimulator({ dataset: demo, organisations: [other] });
});
afterAll(async () => {
  await sim.stop();
});

const member = () => sim.dataset.members[3] as SimUser;
const installationsOf = async (person: SimUser) =>
  (
    await (await personOctokit(sim, person)).request('GET /user/installations')
  ).data.installations.map((installation) => installation.id);
const repositoriesOf = async (person: SimUser, installation_id = demo.installationId) =>
  (
    await (
      await personOctokit(sim, person)
    ).request('GET /user/installations/{installation_id}/repositories', { installation_id })
  ).data;
const namesOf = async (person: SimUser) =>
  (await repositoriesOf(person)).repositories.map((repo) => repo.full_name);
const membershipOf = async (person: SimUser, org = demo.organisation) =>
  (await personOctokit(sim, person))
    .request('GET /user/memberships/orgs/{org}', { org })
    .then(({ status, data }) => ({ status, role: data.role }))
    .catch((error: { status: number }) => ({ status: error.status }));

describe('the GitHub simulator as a signed-in person sees it', () => {
  it('offers octo-collaborator and octo-restricted on the authorize page beside the members and octo-outsider', async () => {
    const page = await fetch(
      `${sim.url}/login/oauth/authorize?${new URLSearchParams({
        client_id: sim.oauthClient.clientId,
        redirect_uri: 'http://127.0.0.1:9/cb',
        state: 's',
        code_challenge: 'c',
        code_challenge_method: 'S256',
      })}`,
    );

    const logins = [...(await page.text()).matchAll(/<button[^>]*>([^<]+)<\/button>/g)].map(
      (match) => match[1],
    );
    expect(logins).toEqual(
      expect.arrayContaining([
        sim.admin.login,
        member().login,
        'octo-outsider',
        'octo-collaborator',
        'octo-restricted',
      ]),
    );
    expect([sim.collaborator.user.login, sim.restricted.user.login]).toEqual([
      'octo-collaborator',
      'octo-restricted',
    ]);
  });

  it("lists every repository of their organisation's installation for a member, with write access", async () => {
    const listed = await repositoriesOf(member());

    expect(await installationsOf(member())).toEqual([demo.installationId]);
    expect(listed.total_count).toBe(3);
    expect(listed.repository_selection).toBe('selected');
    expect(listed.repositories.map((repo) => [repo.full_name, repo.permissions])).toEqual(
      ['people-org/api', 'people-org/web', 'people-org/ops'].map((name) => [
        name,
        { admin: false, maintain: false, push: true, triage: true, pull: true },
      ]),
    );
    expect(await membershipOf(member())).toEqual({ status: 200, role: 'member' });
  });

  it('gives the owner admin on every repository and the admin role', async () => {
    const listed = await repositoriesOf(sim.admin);

    expect(listed.repositories.every((repo) => repo.permissions?.admin)).toBe(true);
    expect(await membershipOf(sim.admin)).toEqual({ status: 200, role: 'admin' });
  });

  it('lists the installation for an outside collaborator, with only their public repository, and no membership', async () => {
    const person = sim.collaborator.user;

    expect(sim.collaborator.repository?.fullName).toBe('people-org/web');
    expect(await installationsOf(person)).toEqual([demo.installationId]);
    expect(await namesOf(person)).toEqual(['people-org/web']);
    expect((await repositoriesOf(person)).total_count).toBe(1);
    expect(await membershipOf(person)).toEqual({ status: 404 });
  });

  it('keeps a restricted member out of their first private repository, and only that one', async () => {
    const person = sim.restricted.user;

    expect(sim.restricted.withheld?.fullName).toBe('people-org/api');
    expect(await installationsOf(person)).toEqual([demo.installationId]);
    expect(await namesOf(person)).toEqual(['people-org/web', 'people-org/ops']);
    expect(await membershipOf(person)).toEqual({ status: 200, role: 'member' });
  });

  it('answers 404 for an installation the person cannot reach, and lists octo-outsider none', async () => {
    const refused = (person: SimUser, installation_id: number) =>
      repositoriesOf(person, installation_id).catch((error: { status: number }) => error.status);

    expect(await installationsOf(sim.outsider)).toEqual([]);
    expect(await refused(sim.outsider, demo.installationId)).toBe(404);
    expect(await refused(member(), other.installationId)).toBe(404);
    expect(await refused(sim.collaborator.user, other.installationId)).toBe(404);
    expect(await refused(member(), 999)).toBe(404);
    expect(await membershipOf(member(), other.organisation)).toEqual({ status: 404 });
  });

  it('pages the repositories with per_page and page, with the Link header GitHub sends', async () => {
    const octokit = await personOctokit(sim, member());
    const page = (page: number) =>
      octokit.request('GET /user/installations/{installation_id}/repositories', {
        installation_id: demo.installationId,
        per_page: 2,
        page,
      });

    const [first, second] = [await page(1), await page(2)];

    const path = `${sim.url}/user/installations/${demo.installationId}/repositories`;
    expect(first.data.repositories.map((repo) => repo.name)).toEqual(['api', 'web']);
    expect(first.headers.link).toBe(
      `<${path}?per_page=2&page=2>; rel="next", <${path}?per_page=2&page=2>; rel="last"`,
    );
    expect(second.data.total_count).toBe(3);
    expect(second.data.repositories.map((repo) => repo.name)).toEqual(['ops']);
    expect(second.headers.link).toBe(
      `<${path}?per_page=2&page=1>; rel="first", <${path}?per_page=2&page=1>; rel="prev"`,
    );
    expect(
      (
        await octokit.paginate('GET /user/installations/{installation_id}/repositories', {
          installation_id: demo.installationId,
          per_page: 1,
        })
      ).map((repo) => repo.name),
    ).toEqual(['api', 'web', 'ops']);
  });
});

describe("the GitHub simulator's App permissions", () => {
  it("asks for the manifest's permissions, members: read among them, and shows them on tokens and installations", async () => {
    const token = await simOctokit(sim, { asApp: true }).request(
      'POST /app/installations/{installation_id}/access_tokens',
      { installation_id: demo.installationId },
    );
    const [installation] = (
      await (await personOctokit(sim, member())).request('GET /user/installations')
    ).data.installations;

    expect(manifest.default_permissions).toMatchObject({ members: 'read' });
    expect(token.data.permissions).toEqual(manifest.default_permissions);
    expect(installation?.permissions).toEqual(manifest.default_permissions);
  });

  it("refuses the owner their membership, as GitHub does, while the App lacks the organisation's Members permission", async () => {
    const lacking = await startGitHubSimulator({ dataset: demo, appPermissions: withoutMembers });
    try {
      const octokit = await personOctokit(lacking, lacking.admin);

      const refusal = await octokit
        .request('GET /user/memberships/orgs/{org}', { org: demo.organisation })
        .catch((error: { status: number; response: { data: unknown; headers: object } }) => error);

      expect(refusal).toMatchObject({
        status: 403,
        response: {
          data: { message: 'Resource not accessible by integration' },
          headers: { 'x-accepted-github-permissions': 'members=read' },
        },
      });
      expect(
        (
          await octokit.request('GET /user/installations/{installation_id}/repositories', {
            installation_id: demo.installationId,
          })
        ).data.total_count,
      ).toBe(3);
    } finally {
      await lacking.stop();
    }
  });
});
