import { performance } from 'node:perf_hooks';
import { readDeployConfig } from '#infra/deploy-config.ts';
import { startStackWithSimulator } from '#infra/local/stack-with-simulator.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { finishedWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { listRepositories } from '#shared/store/installations.ts';
import type { SyncedRepository } from '#shared/sync/checkpoint.ts';
import { report } from './report.ts';

/**
 * Benchmark, part 12: time to first insight. An organisation of
 * BENCH_RECENT_REPOSITORIES (200) repositories × BENCH_RECENT_PRS (300) PRs
 * over 90 days installs the App; the simulator answers every request in a
 * second, as GitHub answers a page of 50 PRs with their reviews; the
 * deployed default of sync workers and backfill window. Measured: when the
 * last finished week's data is stored in every repository, when that week
 * is rolled up, and the whole backfill's time and GitHub points.
 */
const repositories = Number(process.env.BENCH_RECENT_REPOSITORIES ?? 200);
const pullRequests = Number(process.env.BENCH_RECENT_PRS ?? 300);
const latencyMs = 1000;
const installationId = 1200;
const { syncConcurrency, daysBack } = readDeployConfig(() => undefined);
const day = 86_400_000;

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
const at: { prsStored?: number; rolledUp?: number; complete?: number } = {};
const seconds = () => (performance.now() - started) / 1000;
await sim.activity.installed();
while (at.complete === undefined) {
  const repos = (await listRepositories(table, installationId)) as SyncedRepository[];
  const prsPast = (repo: SyncedRepository) =>
    repo.syncStatus === 'complete' ||
    (repo.syncOldestSeen !== undefined &&
      repo.syncOldestSeen !== null &&
      Date.parse(repo.syncOldestSeen) < needsFrom);
  if (at.prsStored === undefined && repos.length === repositories && repos.every(prsPast))
    at.prsStored = seconds();
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
report(
  import.meta.url,
  `Recent first: ${repositories} repositories × ${pullRequests} PRs over 90 days, ${syncConcurrency} workers, ${latencyMs} ms per GitHub answer, ${daysBack}-day backfill`,
  [
    {
      name: `every repository's PRs stored back past what ${week} reads`,
      measured: fmt(at.prsStored),
    },
    { name: `${week} rolled up`, measured: fmt(at.rolledUp), target: 'under 120 s' },
    {
      name: 'the whole backfill',
      measured: `${fmt(at.complete)}, ${stored.toLocaleString('en')} PRs, ${requests.toLocaleString('en')} requests, ${points.toLocaleString('en')} points`,
    },
  ],
);
