import { performance } from 'node:perf_hooks';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startStackWithSimulator } from '#infra/local/stack-with-simulator.ts';
import type { RepositoryProgress } from '#shared/views/sync-progress-view.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { enqueueSyncJobs, syncJobFor } from '../support/sync-jobs.ts';
import { type Figure, report } from './report.ts';

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
  const figures: Figure[] = [];
  for (const repo of await progress()) {
    const per1000 = (n: number) => (n / repo.completed) * 1000;
    const seconds = ((finished.get(repo.fullName) ?? 0) - started) / 1000;
    figures.push({
      name: `full backfill of ${repo.fullName}, ${repo.completed.toLocaleString('en')} PRs`,
      measured: `${per1000(repo.githubRequests).toFixed(1)} requests and ${per1000(repo.githubPoints).toFixed(1)} points per 1,000 PRs (${repo.githubRequests} requests, ${seconds.toFixed(0)} s)`,
      target: 'at most 25 requests and 50 points per 1,000 PRs',
      met: per1000(repo.githubRequests) <= 25 && per1000(repo.githubPoints) <= 50,
    });
  }
  const synced = (await progress()).reduce((sum, repo) => sum + repo.completed, 0);
  figures.push({
    name: 'both backfills at once, end to end',
    measured: `${synced.toLocaleString('en')} PRs in ${totalSeconds.toFixed(0)} s = ${(synced / totalSeconds).toFixed(0)} PRs/s`,
  });
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  if (gc && heapAfterGc.length > 1) {
    figures.push({
      name: 'JS heap after GC while syncing, every 5 s',
      measured: `first ${mib(heapAfterGc[0] ?? 0)} MiB, last ${mib(heapAfterGc.at(-1) ?? 0)} MiB, max ${mib(Math.max(...heapAfterGc))} MiB`,
    });
  }
  figures.push({
    name: 'peak RSS of the whole process (simulator, embedded servers, front door, worker)',
    measured: `${mib(peakRss)} MiB`,
  });

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
      figures.push({
        name: 'incremental sync of bench/mid after 10 reviews',
        measured: `${current.completed} PRs fetched with ${current.githubRequests} requests, ${current.githubPoints} points`,
      });
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
  const restPer1000 = (restRequests / prs.length) * 1000;
  figures.push({
    name: 'REST instead (list, then reviews and commits per PR) on bench/mid',
    measured: `${restRequests.toLocaleString('en')} requests = ${restPer1000.toFixed(0)} per 1,000 PRs, ${(restPer1000 / graphqlPer1000).toFixed(0)}× the GraphQL backfill`,
    target: 'at least 80× the GraphQL backfill',
    met: restPer1000 / graphqlPer1000 >= 80,
  });
  await stop();
  report(import.meta.url, 'Sync: simulator → SQS poller → sync worker → DynamoDB on disk', figures);
}

await benchSync(Number(process.env.BENCH_LARGE_PRS ?? 100_000));
