import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { simOctokit } from '../support/sim-octokit.ts';

let sim: GitHubSimulator;
beforeAll(async () => {
  sim = await startGitHubSimulator({
    dataset: {
      seed: 11,
      installationId: 77,
      organisation: 'faulty',
      repositories: [
        { name: 'stable', pullRequests: 60 },
        { name: 'doomed', pullRequests: 5 },
      ],
    },
  });
});
afterEach(() => sim.setFaults({}));
afterAll(async () => {
  await sim.stop();
});

function octokit(options: Record<string, unknown> = {}, Client = Octokit) {
  return simOctokit(sim, { Client, options });
}

const repoParams = { owner: 'faulty', repo: 'stable' };

describe('GitHub simulator fault injection', () => {
  it('times out GraphQL queries that could return too many nodes with a 502', async () => {
    sim.setFaults({ graphqlMaxNodes: 2000 });
    const client = octokit();
    const query = (first: number) =>
      `{ repository(owner: "faulty", name: "stable") { pullRequests(first: ${first}) { nodes { reviews(first: 100) { totalCount } } } } }`;

    await expect(client.graphql(query(50))).rejects.toMatchObject({ status: 502 });
    await expect(client.graphql(query(10))).resolves.toBeDefined();
  });

  it('times out GraphQL queries above a cost with a 502', async () => {
    sim.setFaults({ graphqlMaxCost: 1 });
    const client = octokit();
    // 1 + 100 + 100 requests → cost 2; 1 + 10 + 10 → cost 1.
    const query = (first: number) =>
      `{ repository(owner: "faulty", name: "stable") { pullRequests(first: ${first}) { nodes { reviews(first: 5) { totalCount } commits(first: 5) { totalCount } } } } }`;

    await expect(client.graphql(query(100))).rejects.toMatchObject({ status: 502 });
    await expect(client.graphql(query(10))).resolves.toBeDefined();
  });

  it('answers random 5xx at the configured rate, which @octokit/plugin-retry rides out', async () => {
    sim.setFaults({ errorRate: 1 });
    await expect(octokit().request('GET /repos/{owner}/{repo}', repoParams)).rejects.toMatchObject({
      status: expect.any(Number),
    });

    sim.setFaults({ errorRate: 0.5 });
    const Retrying = Octokit.plugin(retry);
    const client = octokit(
      { request: { retries: 10 }, retry: { retryAfterBaseValue: 1 } },
      Retrying,
    );
    const failedBefore = sim.requestLog.filter((entry) => entry.status >= 500).length;

    for (let i = 0; i < 6; i++) {
      const response = await client.request('GET /repos/{owner}/{repo}', repoParams);
      expect(response.status).toBe(200);
    }
    expect(sim.requestLog.filter((entry) => entry.status >= 500).length).toBeGreaterThan(
      failedBefore,
    );
  });

  it('adds latency to every response', async () => {
    const client = octokit();
    await client.request('GET /rate_limit');
    sim.setFaults({ latencyMs: 150 });

    const started = Date.now();
    await client.request('GET /rate_limit');

    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('enforces a secondary limit with retry-after, honoured by @octokit/plugin-throttling', async () => {
    sim.setFaults({ secondary: { pointsPerMinute: 2, retryAfterSeconds: 1 } });
    const plain = octokit();
    await plain.request('GET /repos/{owner}/{repo}', repoParams);
    await plain.request('GET /repos/{owner}/{repo}', repoParams);
    const refused = await plain
      .request('GET /repos/{owner}/{repo}', repoParams)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 403,
      message: expect.stringMatching(/secondary rate limit/),
      response: { headers: { 'retry-after': '1' } },
    });

    const waits: number[] = [];
    const Throttled = Octokit.plugin(throttling);
    const client = octokit(
      {
        throttle: {
          onRateLimit: () => false,
          onSecondaryRateLimit: (retryAfter: number) => {
            waits.push(retryAfter);
            sim.setFaults({});
            return true;
          },
        },
      },
      Throttled,
    );
    const response = await client.request('GET /repos/{owner}/{repo}', repoParams);

    expect(response.status).toBe(200);
    expect(waits).toEqual([1]);
  });

  it('refuses concurrent requests past the concurrency limit', async () => {
    sim.setFaults({ latencyMs: 200, secondary: { maxConcurrent: 1 } });
    const client = octokit();
    await client.request('GET /rate_limit').catch(() => undefined);

    const results = await Promise.allSettled([
      client.request('GET /repos/{owner}/{repo}', repoParams),
      client.request('GET /repos/{owner}/{repo}', repoParams),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('loses a PR from a page, still counting it and serving it on its own, as GitHub does with a PR it voids', async () => {
    sim.setFaults({ voidedInPages: ['faulty/stable#7'] });
    const query = `{
      repository(owner: "faulty", name: "stable") {
        pullRequests(first: 100) { totalCount nodes { number commits(first: 1) { totalCount } } }
        pullRequest(number: 7) { number }
      }
      search(query: "repo:faulty/stable is:pr updated:>=2000-01-01T00:00:00Z", type: ISSUE, first: 1) { issueCount }
    }`;
    type Answer = {
      repository: {
        pullRequests: { totalCount: number; nodes: ({ number: number } | null)[] };
        pullRequest: { number: number };
      };
      search: { issueCount: number };
    };

    const failure = (await octokit()
      .graphql(query)
      .catch((error: unknown) => error)) as {
      data: Answer;
      errors: { type: string; path: unknown[] }[];
    };

    // The dataset has 60 PRs, numbered 1 to 60: the page holds 59 and a null where #7 was.
    const { pullRequests, pullRequest } = failure.data.repository;
    const numbers = pullRequests.nodes.flatMap((node) => (node ? [node.number] : []));
    expect(pullRequests.nodes).toHaveLength(60);
    expect(numbers.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1).filter((n) => n !== 7),
    );
    expect(pullRequests.totalCount).toBe(60);
    expect(failure.data.search.issueCount).toBe(60);
    expect(pullRequest.number).toBe(7);
    const voided = pullRequests.nodes.indexOf(null);
    expect(failure.errors).toEqual([
      expect.objectContaining({
        type: 'FORBIDDEN',
        path: ['repository', 'pullRequests', 'nodes', voided, 'commits'],
      }),
    ]);
  });

  it('makes a repository disappear mid-sync, on REST and GraphQL', async () => {
    const client = octokit();
    await client.request('GET /repos/{owner}/{repo}', { owner: 'faulty', repo: 'doomed' });

    sim.setFaults({ goneRepositories: ['faulty/doomed'] });

    await expect(
      client.request('GET /repos/{owner}/{repo}/pulls', { owner: 'faulty', repo: 'doomed' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      client.graphql('{ repository(owner: "faulty", name: "doomed") { id } }'),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'NOT_FOUND' })] });
    const { data } = await client.request('GET /installation/repositories');
    expect(data.repositories.map((repo) => repo.name)).toEqual(['stable']);
  });

  it('suspends the installation: calls and new tokens answer 403', async () => {
    const client = octokit();
    await client.request('GET /rate_limit');

    sim.setFaults({ suspended: true });

    await expect(client.request('GET /installation/repositories')).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/suspended/),
    });
    await expect(octokit().request('GET /installation/repositories')).rejects.toMatchObject({
      status: 403,
    });
  });
});
