import { performance } from 'node:perf_hooks';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startStackWithSimulator } from '#infra/local/stack-with-simulator.ts';
import type { RepositoryProgress } from '#shared/views/sync-progress-view.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { enqueueSyncJobs, syncJobFor } from '../support/sync-jobs.ts';

/**
 * Benchmark, part 3: the sync engine end to end — simulator → sync
 * worker (SQS poller) → DynamoDB (on disk, so stored items stay out of the
 * process's memory) — and the REST approach on the same data.
 */
async function benchSync(largePullRequests: number): Promise<void> {
  const installationId = 5;
  const { sim, stack, install, stop } = await startStackWithSimulator(
    {
      dataset: {
        seed: 5,
        installationId,
        organisation: 'bench',
        repositories: [
          { name: 'mid', pullRequests: 2_000 },
          { name: 'huge', pullRequests: largePullRequests },
        ],
      },
      rateLimits: { graphqlLimit: 10_000_000, coreLimit: 10_000_000 },
    },
    { daysBack: 0 },
  );
  const progress = async () =>
    (
      (await (await fetch(`${stack.url}/api/installations/${installationId}/repos`)).json()) as {
        repositories: RepositoryProgress[];
      }
    ).repositories;

  const started = performance.now();
  let peakRss = process.memoryUsage().rss;
  const heapAfterGc: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  const heapSampler = setInterval(() => {
    gc?.();
    heapAfterGc.push(process.memoryUsage().heapUsed);
  }, 5000);
  const finished = new Map<string, number>();
  await install();
  while (finished.size < 2) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    for (const repo of await progress()) {
      if (repo.status === 'complete' && !finished.has(repo.fullName))
        finished.set(repo.fullName, performance.now());
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const totalSeconds = (performance.now() - started) / 1000;
  clearInterval(heapSampler);
  for (const repo of await progress()) {
    const per1000 = (n: number) => ((n / repo.completed) * 1000).toFixed(1);
    const seconds = ((finished.get(repo.fullName) ?? 0) - started) / 1000;
    console.log(
      `GraphQL backfill ${repo.fullName.padEnd(12)} ${String(repo.completed).padStart(7)} PRs in ${seconds.toFixed(1).padStart(6)} s: ${repo.githubRequests} requests, ${repo.githubPoints} points = ${per1000(repo.githubRequests)} requests, ${per1000(repo.githubPoints)} points per 1,000 PRs`,
    );
  }
  const synced = (await progress()).reduce((sum, repo) => sum + repo.completed, 0);
  if (gc && heapAfterGc.length > 1) {
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
    console.log(
      `JS heap after GC while syncing (every 5 s): first ${mib(heapAfterGc[0] ?? 0)} MiB, last ${mib(heapAfterGc.at(-1) ?? 0)} MiB, max ${mib(Math.max(...heapAfterGc))} MiB`,
    );
  }
  console.log(
    `sync end to end: ${synced} PRs in ${totalSeconds.toFixed(1)} s = ${(synced / totalSeconds).toFixed(0)} PRs/s (two repositories at once); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB for the whole process (simulator, embedded servers, front door, worker)`,
  );

  const mid = sim.dataset.repository('bench/mid');
  if (!mid) throw new Error('no repository');
  const midBackfill = (await progress()).find((repo) => repo.fullName === mid.fullName);
  const graphqlPer1000 =
    ((midBackfill?.githubRequests ?? 1) / (midBackfill?.completed ?? 1)) * 1000;
  for (let i = 0; i < 10; i++)
    await sim.activity.review(mid.fullName, mid.pullRequestCount - i * 7, 'APPROVED');
  await enqueueSyncJobs(
    new SQSClient({}),
    stack.aws.syncQueueUrl,
    syncJobFor(installationId, mid, 'bench:reconcile', 'reconcile'),
  );
  for (;;) {
    const current = (await progress()).find((repo) => repo.fullName === mid.fullName);
    if (current?.status === 'complete' && current.mode === 'incremental') {
      console.log(
        `GraphQL incremental on bench/mid after 10 reviews: ${current.completed} PRs fetched with ${current.githubRequests} requests, ${current.githubPoints} points`,
      );
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const octokit = simOctokit(sim);
  const restStart = sim.requestLog.length;
  const prs = await octokit.paginate('GET /repos/{owner}/{repo}/pulls', {
    owner: 'bench',
    repo: 'mid',
    state: 'all',
    per_page: 100,
  });
  for (const pr of prs) {
    const params = { owner: 'bench', repo: 'mid', pull_number: pr.number, per_page: 100 };
    await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', params);
    await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', params);
  }
  const restRequests = sim.requestLog
    .slice(restStart)
    .filter((entry) => entry.route.startsWith('GET')).length;
  console.log(
    `REST approach on bench/mid (list + reviews + commits per PR): ${restRequests} requests = ${((restRequests / prs.length) * 1000).toFixed(0)} per 1,000 PRs, ${(((restRequests / prs.length) * 1000) / graphqlPer1000).toFixed(0)}× the GraphQL backfill`,
  );
  await stop();
}

await benchSync(Number(process.env.BENCH_LARGE_PRS ?? 100_000));
