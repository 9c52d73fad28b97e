import { throttling } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAppCredentials } from '#infra/local/github-sim/app-auth.ts';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { simOctokit } from '../support/sim-octokit.ts';

const installationId = 4242;
const dataset = {
  seed: 7,
  installationId,
  organisation: 'sim-org',
  repositories: [
    { name: 'api', pullRequests: 250 },
    { name: 'web', pullRequests: 12 },
  ],
};

describe('GitHub simulator with Octokit as the client', () => {
  let sim: GitHubSimulator;
  beforeAll(async () => {
    sim = await startGitHubSimulator({ dataset });
  });
  afterAll(async () => {
    await sim.stop();
  });

  describe('App authentication', () => {
    it('exchanges an App JWT for an installation token, once, and serves with it', async () => {
      const octokit = simOctokit(sim);
      const before =
        sim.counters().requests['POST /app/installations/{installation_id}/access_tokens'] ?? 0;

      const first = await octokit.request('GET /installation/repositories');
      await octokit.request('GET /repos/{owner}/{repo}', { owner: 'sim-org', repo: 'web' });

      expect(first.data.repositories.map((repo) => repo.full_name)).toEqual([
        'sim-org/api',
        'sim-org/web',
      ]);
      expect(
        sim.counters().requests['POST /app/installations/{installation_id}/access_tokens'],
      ).toBe(before + 1);
    });

    it('refuses a JWT signed with another key', async () => {
      const octokit = simOctokit(sim, { privateKey: generateAppCredentials(sim.appId).privateKey });

      await expect(octokit.request('GET /installation/repositories')).rejects.toMatchObject({
        status: 401,
        message: expect.stringMatching(/could not be decoded/),
      });
    });

    it('refuses requests without a token, and with an unknown one', async () => {
      const anonymous = new Octokit({ baseUrl: sim.url });
      const forged = new Octokit({ baseUrl: sim.url, auth: 'ghs_not-a-real-token' });

      await expect(anonymous.request('GET /installation/repositories')).rejects.toMatchObject({
        status: 401,
      });
      await expect(forged.request('GET /installation/repositories')).rejects.toMatchObject({
        status: 401,
        message: expect.stringMatching(/Bad credentials/),
      });
    });

    it('answers 404 for a repository outside the installation', async () => {
      await expect(
        simOctokit(sim).request('GET /repos/{owner}/{repo}', { owner: 'someone', repo: 'else' }),
      ).rejects.toMatchObject({ status: 404 });
    });
  });

  it("serves a pull request's web page, as the links in emails expect", async () => {
    const repo = sim.dataset.repository('sim-org/api');
    if (!repo) throw new Error('dataset lacks sim-org/api');
    const pr = sim.dataset.pullRequest(repo, 7);
    const page = await fetch(`${sim.url}/sim-org/api/pull/7`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain(`sim-org/api#7`);
    expect(html).toContain(pr?.author.login);
    expect((await fetch(`${sim.url}/sim-org/api/pull/9999`)).status).toBe(404);
    expect((await fetch(`${sim.url}/someone/else/pull/1`)).status).toBe(404);
  });

  describe('REST', () => {
    it('paginates pull requests to the end with Link headers', async () => {
      const octokit = simOctokit(sim);

      const prs = await octokit.paginate('GET /repos/{owner}/{repo}/pulls', {
        owner: 'sim-org',
        repo: 'api',
        state: 'all',
        per_page: 100,
      });

      expect(prs).toHaveLength(250);
      expect(new Set(prs.map((pr) => pr.number)).size).toBe(250);
      // Newest first by default, as GitHub lists them.
      expect(prs[0]?.number).toBe(250);
    });

    it('lists only open pull requests by default', async () => {
      const open = await simOctokit(sim).paginate('GET /repos/{owner}/{repo}/pulls', {
        owner: 'sim-org',
        repo: 'api',
        per_page: 100,
      });

      expect(open.length).toBeGreaterThan(0);
      expect(open.length).toBeLessThan(250);
      expect(open.every((pr) => pr.state === 'open')).toBe(true);
    });

    it('serves a pull request with its size facts, reviews and commits', async () => {
      const octokit = simOctokit(sim);
      const params = { owner: 'sim-org', repo: 'api', pull_number: 40 };

      const { data: pr } = await octokit.rest.pulls.get(params);
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, params);
      const commits = await octokit.paginate(octokit.rest.pulls.listCommits, params);

      expect(pr.number).toBe(40);
      expect(pr.additions).toBeGreaterThanOrEqual(0);
      expect(commits).toHaveLength(Math.min(250, pr.commits));
      expect(reviews.every((review) => review.user?.login !== pr.user.login)).toBe(true);
    });
  });

  describe('GraphQL', () => {
    const pullRequestsQuery = `
      query ($owner: String!, $name: String!, $cursor: String) {
        repository(owner: $owner, name: $name) {
          pullRequests(first: 50, after: $cursor, orderBy: { field: UPDATED_AT, direction: DESC }) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes {
              number updatedAt createdAt mergedAt isDraft additions
              author { __typename login }
              labels(first: 10) { nodes { name } }
              reviews(first: 20) { totalCount nodes { state submittedAt author { login } } }
              commits(first: 5) { totalCount nodes { commit { authoredDate message } } }
            }
          }
        }
        rateLimit { cost remaining }
      }`;

    interface Page {
      repository: {
        pullRequests: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          nodes: { number: number; updatedAt: string; reviews: { totalCount: number } }[];
        };
      };
      rateLimit: { cost: number; remaining: number };
    }

    it('pages through every pull request, most recently updated first', async () => {
      const octokit = simOctokit(sim);
      const seen: Page['repository']['pullRequests']['nodes'] = [];
      let cursor: string | undefined;
      let page: Page;
      do {
        page = await octokit.graphql<Page>(pullRequestsQuery, {
          owner: 'sim-org',
          name: 'api',
          cursor,
        });
        seen.push(...page.repository.pullRequests.nodes);
        cursor = page.repository.pullRequests.pageInfo.endCursor;
      } while (page.repository.pullRequests.pageInfo.hasNextPage);

      expect(page.repository.pullRequests.totalCount).toBe(250);
      expect(seen).toHaveLength(250);
      const updated = seen.map((pr) => Date.parse(pr.updatedAt));
      expect(updated).toEqual([...updated].sort((a, b) => b - a));
      // 1 request for the PR page + 50 for each nested connection, over 100.
      expect(page.rateLimit.cost).toBe(Math.round((1 + 50 * 3) / 100));
    });

    it('counts requests per endpoint and the GraphQL points charged', async () => {
      const octokit = simOctokit(sim);
      const before = sim.counters();

      await octokit.graphql(
        '{ repository(owner: "sim-org", name: "web") { pullRequests(first: 100) { nodes { reviews(first: 100) { totalCount } commits(first: 100) { totalCount } } } } }',
      );
      await octokit.request('GET /repos/{owner}/{repo}/pulls', { owner: 'sim-org', repo: 'web' });

      const after = sim.counters();
      expect(after.graphqlPoints - before.graphqlPoints).toBe(2);
      expect((after.requests['POST /graphql'] ?? 0) - (before.requests['POST /graphql'] ?? 0)).toBe(
        1,
      );
      expect(
        (after.requests['GET /repos/{owner}/{repo}/pulls'] ?? 0) -
          (before.requests['GET /repos/{owner}/{repo}/pulls'] ?? 0),
      ).toBe(1);
    });

    it('agrees with REST about a pull request', async () => {
      const octokit = simOctokit(sim);
      const { data: rest } = await octokit.rest.pulls.get({
        owner: 'sim-org',
        repo: 'api',
        pull_number: 7,
      });
      const { repository } = await octokit.graphql<{
        repository: {
          pullRequest: { createdAt: string; additions: number; reviews: { totalCount: number } };
        };
      }>(
        `{ repository(owner: "sim-org", name: "api") { pullRequest(number: 7) { createdAt additions reviews(first: 1) { totalCount } } } }`,
      );
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
        owner: 'sim-org',
        repo: 'api',
        pull_number: 7,
      });

      expect(repository.pullRequest.createdAt).toBe(rest.created_at);
      expect(repository.pullRequest.additions).toBe(rest.additions);
      expect(repository.pullRequest.reviews.totalCount).toBe(reviews.length);
    });

    it('rejects a query GitHub schema rejects', async () => {
      await expect(
        simOctokit(sim).graphql('{ repository(owner: "sim-org", name: "api") { starCount } }'),
      ).rejects.toThrow(/Cannot query field "starCount" on type "Repository"/);
    });

    it('requires first or last on a connection, at most 100', async () => {
      const octokit = simOctokit(sim);

      await expect(
        octokit.graphql(
          '{ repository(owner: "sim-org", name: "api") { pullRequests { totalCount } } }',
        ),
      ).rejects.toThrow(/must provide a `first` or `last` value/);
      await expect(
        octokit.graphql(
          '{ repository(owner: "sim-org", name: "api") { pullRequests(first: 101) { totalCount } } }',
        ),
      ).rejects.toThrow(/exceeds the `first` limit of 100/);
    });

    it('answers NOT_FOUND for an unknown repository', async () => {
      await expect(
        simOctokit(sim).graphql('{ repository(owner: "sim-org", name: "nope") { id } }'),
      ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'NOT_FOUND' })] });
    });
  });
});

describe('GitHub simulator rate limits', () => {
  let sim: GitHubSimulator;
  beforeAll(async () => {
    sim = await startGitHubSimulator({
      dataset,
      rateLimits: { coreLimit: 3, graphqlLimit: 2, windowMs: 1500 },
    });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('sends GitHub rate-limit headers and refuses with 403 once the REST budget is spent', async () => {
    const octokit = simOctokit(sim);
    const params = { owner: 'sim-org', repo: 'web' };

    const responses = [
      await octokit.request('GET /repos/{owner}/{repo}', params),
      await octokit.request('GET /repos/{owner}/{repo}', params),
      await octokit.request('GET /repos/{owner}/{repo}', params),
    ];
    const refused = await octokit
      .request('GET /repos/{owner}/{repo}', params)
      .catch((e: unknown) => e);

    expect(responses.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);
    expect(responses[0]?.headers['x-ratelimit-resource']).toBe('core');
    expect(refused).toBeInstanceOf(RequestError);
    expect(refused).toMatchObject({
      status: 403,
      message: expect.stringMatching(/API rate limit exceeded for installation ID 4242/),
      response: { headers: { 'x-ratelimit-remaining': '0' } },
    });
  });

  it('is waited out by @octokit/plugin-throttling until the window resets', async () => {
    const Throttled = Octokit.plugin(throttling);
    const waits: number[] = [];
    const octokit = simOctokit(sim, {
      Client: Throttled,
      options: {
        throttle: {
          onRateLimit: (retryAfter: number) => {
            waits.push(retryAfter);
            return true;
          },
          onSecondaryRateLimit: () => false,
        },
      },
    });

    const response = await octokit.request('GET /repos/{owner}/{repo}', {
      owner: 'sim-org',
      repo: 'web',
    });

    expect(response.status).toBe(200);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    // The 1.5 s window, its reset rounded up to whole seconds, plus the second the plugin adds.
    expect(waits[0]).toBeLessThanOrEqual(4);
  });

  it('charges GraphQL from its own pool and answers RATE_LIMITED when it is spent', async () => {
    const octokit = simOctokit(sim);
    const query = '{ rateLimit { cost remaining used limit } }';

    const first = await octokit.graphql<{ rateLimit: { remaining: number; limit: number } }>(query);
    await octokit.graphql(query);
    const refused = await octokit.graphql(query).catch((e: unknown) => e);

    expect(first.rateLimit).toMatchObject({ limit: 2, remaining: 1 });
    expect(refused).toMatchObject({ errors: [expect.objectContaining({ type: 'RATE_LIMITED' })] });
    expect((await octokit.request('GET /rate_limit')).data.resources.graphql?.remaining).toBe(0);
  });
});
