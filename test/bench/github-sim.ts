import { performance } from 'node:perf_hooks';
import { startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { latencyFigure, measure } from './measure.ts';
import { report } from './report.ts';

/**
 * Benchmark, part 2: the GitHub simulator serving a 100,000-PR
 * repository through Octokit, the way the sync worker will page it.
 */
async function benchGitHubSimulator(): Promise<void> {
  const heapBefore = process.memoryUsage().heapUsed;
  const sim = await startGitHubSimulator({
    dataset: {
      seed: 1,
      installationId: 1,
      organisation: 'bench',
      repositories: [{ name: 'huge', pullRequests: 100_000 }],
    },
    rateLimits: { coreLimit: 1_000_000, graphqlLimit: 1_000_000 },
  });
  const octokit = simOctokit(sim);
  const query = `query ($cursor: String) {
    repository(owner: "bench", name: "huge") {
      pullRequests(first: 50, after: $cursor, orderBy: { field: UPDATED_AT, direction: DESC }) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { number createdAt updatedAt mergedAt additions deletions author { login }
          reviews(first: 20) { nodes { state submittedAt author { login } } }
          commits(first: 20) { nodes { commit { authoredDate message } } } }
      }
    }
  }`;
  type Page = { repository: { pullRequests: { pageInfo: { endCursor: string } } } };

  const t0 = performance.now();
  let page = await octokit.graphql<Page>(query, {});
  const firstPageMs = performance.now() - t0;
  const graphqlPages = await measure(
    'GraphQL page of 50 PRs + reviews + commits',
    200,
    async () => {
      page = await octokit.graphql<Page>(query, {
        cursor: page.repository.pullRequests.pageInfo.endCursor,
      });
      return 200;
    },
  );
  const restPulls = await measure('REST GET /pulls/{n}', 300, async (i) => {
    const response = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: 'bench',
      repo: 'huge',
      pull_number: 1 + ((i * 331) % 100_000),
    });
    return response.status;
  });
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  await sim.stop();
  report(import.meta.url, 'GitHub simulator: a 100,000-PR repository through Octokit', [
    {
      name: 'first GraphQL page (builds the update order)',
      measured: `${firstPageMs.toFixed(0)} ms`,
    },
    latencyFigure('GraphQL page of 50 PRs, 20 reviews and 20 commits each', graphqlPages),
    latencyFigure('REST GET /pulls/{n}', restPulls),
    {
      name: 'heap growth after paging 10,000 PRs (GraphQL schema included)',
      measured: `${(heapGrowth / 2 ** 20).toFixed(0)} MiB`,
    },
  ]);
}

await benchGitHubSimulator();
