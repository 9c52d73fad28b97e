import { performance } from 'node:perf_hooks';
import { readDeployConfig } from '#infra/deploy-config.ts';
import { startStackWithSimulator } from '#infra/local/stack-with-simulator.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { finishedWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { listRepositories } from '#shared/store/installations.ts';
import type { SyncedRepository } from '#shared/sync/checkpoint.ts';
import { hasRecentHistory } from '#shared/sync/recent-history.ts';
import { type Figure, report } from './report.ts';

/**
 * Benchmark, part 12: time to first insight. An organisation of
 * BENCH_RECENT_REPOSITORIES (200) repositories × BENCH_RECENT_PRS (300) PRs
 * over 90 days installs the App; the simulator answers every request in a
 * second, as GitHub answers a page of 50 PRs with their reviews; the
 * deployed default of sync workers and backfill window. Measured: when the
 * last finished week's data is stored in every repository, when that week
 * is rolled up, and the whole backfill's time and GitHub points — against
 * the same run before recent first (main at 4bc22c4, on this machine),
 * whose figures are kept here as measured.
 */
const repositories = Number(process.env.BENCH_RECENT_REPOSITORIES ?? 200);
const pullRequests = Number(process.env.BENCH_RECENT_PRS ?? 300);
const latencyMs = 1000;
const installationId = 1200;
const { syncConcurrency, daysBack } = readDeployConfig(() => undefined);
const day = 86_400_000;
/** `npm run bench -- recent-first` on main at 4bc22c4 (2026-12-02, 2 cores shared with other work). */
const before = {
  weekDataSeconds: 1046,
  backfillSeconds: 1050,
  requests: 1311,
  points: 3444,
  size: { repositories: 200, pullRequests: 300 },
};
const comparable =
  repositories === before.size.repositories && pullRequests === before.size.pullRequests;

const { sim, stack, stop } = await startStackWithSimulator(
  {
    dataset: {
      seed: 1200,
      installationId,
      organisation: 'wide-org',
      // 13 weeks: the 90 days the backfill covers.
      weeks: 13,
      repositories: Array.from({ length: repositories }, (_, i) => ({
        name: `service-${i + 1}`,
        pullRequests,
      })),
    },
    copilotMetrics: 'disabled',
    faults: { latencyMs },
  },
  { syncWorkers: syncConcurrency },
);
const table = { db: createDocumentClient(), tableName: stack.aws.tableName };
const now = new Date();
const week = finishedWeek(now, 'UTC');
// What the week's figures read: its PRs, and deployments and merges up to 30 days before it.
const needsFrom = weekBounds(week, 'UTC').start.getTime() - 31 * day;

const started = performance.now();
const at: { prsStored?: number; recentStored?: number; rolledUp?: number; complete?: number } = {};
const seconds = () => (performance.now() - started) / 1000;
await sim.activity.installed();
while (at.complete === undefined) {
  const repos = (await listRepositories(table, installationId)) as SyncedRepository[];
  const prsPast = (repo: SyncedRepository) =>
    repo.syncStatus === 'complete' ||
    (repo.syncOldestSeen !== undefined &&
      repo.syncOldestSeen !== null &&
      Date.parse(repo.syncOldestSeen) < needsFrom);
  const all = repos.length === repositories;
  if (at.prsStored === undefined && all && repos.every(prsPast)) at.prsStored = seconds();
  if (at.recentStored === undefined && all && repos.every(hasRecentHistory))
    at.recentStored = seconds();
  if (at.rolledUp === undefined && (await weekRolledUp())) at.rolledUp = seconds();
  if (repos.length === repositories && repos.every((repo) => repo.syncStatus === 'complete'))
    at.complete = seconds();
  else await new Promise((resolve) => setTimeout(resolve, 1000));
}
const repos = (await listRepositories(table, installationId)) as SyncedRepository[];
const requests = repos.reduce((sum, repo) => sum + (repo.syncRequests ?? 0), 0);
const points = repos.reduce((sum, repo) => sum + (repo.syncPoints ?? 0), 0);
const stored = repos.reduce((sum, repo) => sum + (repo.syncCompleted ?? 0), 0);
await stop();

/** The finished week's organisation row, as the metrics API answers it. */
async function weekRolledUp(): Promise<boolean> {
  const response = await fetch(
    `${stack.url}/api/installations/${installationId}/metrics/weekly?weeks=1`,
  );
  if (!response.ok) return false;
  const view = (await response.json()) as { weeks: { week: string; organisation?: unknown }[] };
  return view.weeks.some((row) => row.week === week && row.organisation);
}

const fmt = (value: number | undefined) =>
  value === undefined ? 'not during the run' : `${value.toFixed(0)} s`;
const rolledUpInTime = at.rolledUp !== undefined && at.rolledUp < 120;
const withinTenPercent =
  comparable &&
  (at.complete ?? Number.POSITIVE_INFINITY) <= 1.1 * before.backfillSeconds &&
  points <= 1.1 * before.points;
const figures: Figure[] = [
  {
    name: `before (main, ${before.size.repositories} × ${before.size.pullRequests}): the last finished week's data in every repository; its rollup`,
    measured: `${before.weekDataSeconds} s (the last repositories' first pages came last); at the next hourly run after, none before`,
  },
  {
    name: 'before: the whole backfill',
    measured: `${before.backfillSeconds} s, ${before.requests.toLocaleString('en')} requests, ${before.points.toLocaleString('en')} points`,
  },
  {
    name: `every repository's PRs stored back past what ${week} reads`,
    measured: fmt(at.prsStored),
  },
  {
    name: `every repository's recent part stored (${week}'s PRs and delivery, and what its figures look back to)`,
    measured: fmt(at.recentStored),
  },
  {
    name: `${week} rolled up, from the installation`,
    measured: fmt(at.rolledUp),
    target: 'under 120 s',
    met: rolledUpInTime,
  },
  {
    name: 'the whole backfill',
    measured: `${fmt(at.complete)}, ${stored.toLocaleString('en')} PRs, ${requests.toLocaleString('en')} requests, ${points.toLocaleString('en')} points`,
    ...(comparable && {
      target: 'time and points at most 10% over before',
      met: withinTenPercent,
    }),
  },
];
report(
  import.meta.url,
  `Recent first: ${repositories} repositories × ${pullRequests} PRs over 90 days, ${syncConcurrency} workers, ${latencyMs} ms per GitHub answer, ${daysBack}-day backfill`,
  figures,
);
