import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimUser } from '#infra/local/github-sim/dataset.ts';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { personOctokit } from '../support/sim-sign-in.ts';

/** Several organisations in one simulator, each its own installation of the App. */
let sim: GitHubSimulator;
const received: { installation: number; event: string }[] = [];
beforeAll(async () => {
  sim = await startGitHubSimulator({
    dataset: {
      seed: 1,
      installationId: 100,
      organisation: 'big-org',
      repositories: [
        { name: 'core', pullRequests: 60 },
        { name: 'docs', pullRequests: 10 },
      ],
    },
    organisations: [
      {
        seed: 2,
        installationId: 200,
        organisation: 'small-a',
        repositories: [{ name: 'app', pullRequests: 20 }],
      },
      {
        seed: 3,
        installationId: 300,
        organisation: 'small-b',
        repositories: [{ name: 'app', pullRequests: 20 }],
      },
    ],
    rateLimits: { coreLimit: 50 },
  });
});
afterAll(async () => {
  await sim.stop();
});

const asInstallation = (installationId: number) =>
  simOctokit(sim, {
    Client: Octokit,
    options: { auth: { appId: sim.appId, privateKey: sim.privateKey, installationId } },
  });

describe('the GitHub simulator with many installations', () => {
  it("serves each installation its own organisation's repositories and pull requests", async () => {
    const names = async (id: number) =>
      (await asInstallation(id).request('GET /installation/repositories')).data.repositories.map(
        (repo) => repo.full_name,
      );
    expect(await names(100)).toEqual(['big-org/core', 'big-org/docs']);
    expect(await names(200)).toEqual(['small-a/app']);
    expect(await names(300)).toEqual(['small-b/app']);

    const { repository } = await asInstallation(200).graphql<{
      repository: { pullRequests: { totalCount: number } };
    }>(
      'query { repository(owner: "small-a", name: "app") { pullRequests(first: 1) { totalCount } } }',
    );
    expect(repository.pullRequests.totalCount).toBe(20);
  });

  it('gives no organisation ids of another, and keeps a rate-limit pool per installation', async () => {
    const ids = [...sim.installations.values()].flatMap(({ dataset }) => [
      ...dataset.repositories.map((repo) => `repo ${repo.id}`),
      ...dataset.members.filter((m) => m.type === 'User').map((member) => `user ${member.id}`),
    ]);
    expect(new Set(ids).size).toBe(ids.length);

    const remaining = async (id: number) =>
      (await asInstallation(id).request('GET /rate_limit')).data.resources.core.remaining;
    const before = await remaining(300);
    for (let i = 0; i < 5; i++) await asInstallation(200).request('GET /installation/repositories');
    expect(await remaining(300)).toBe(before);
    expect(await remaining(200)).toBeLessThan(before);
  });

  it('lists for a signed-in person the installations of the organisations they belong to', async () => {
    const listed = async (person: SimUser) =>
      (
        await (await personOctokit(sim, person)).request('GET /user/installations')
      ).data.installations.map((installation) => installation.id);
    const memberOf = (installationId: number) =>
      sim.installations.get(installationId)?.dataset.members[1] as SimUser;
    expect(await listed(memberOf(200))).toEqual([200]);
    expect(await listed(memberOf(100))).toEqual([100]);
  });

  it("sends each installation's webhooks with its own installation id", async () => {
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const payload = JSON.parse(body) as { installation: { id: number } };
        received.push({
          installation: payload.installation.id,
          event: String(request.headers['x-github-event']),
        });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    sim.webhooks.configure({ url: `http://127.0.0.1:${port}/`, secret: 's' });
    for (const installation of sim.installations.values()) await installation.activity.installed();
    server.close();
    expect(received).toEqual([
      { installation: 100, event: 'installation' },
      { installation: 200, event: 'installation' },
      { installation: 300, event: 'installation' },
    ]);
  });
});
