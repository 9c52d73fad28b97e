import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmbeddedAws } from '#infra/local/embedded-aws.ts';
import type { StoredPullRequest } from '#shared/metrics/pull-request.ts';
import { shiftWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { runRollup } from '#shared/rollup/run-rollup.ts';
import { recordInstallation } from '#shared/store/installations.ts';
import { putPullRequests } from '#shared/store/pull-requests.ts';
import { benchRollupJob, countingTable } from './query-reads.ts';
import { type Figure, report } from './report.ts';

/**
 * Benchmark, part 5: the rollup of one week holding BENCH_WEEK_PRS pull
 * requests (default 10,000) on the embedded DynamoDB, in a table that also
 * holds four, then eight, times as many PRs in other weeks. What it reads
 * must grow with the week's PRs and not with the table.
 */
const weekPullRequests = Number(process.env.BENCH_WEEK_PRS ?? 10_000);
const installationId = 77;
const week = '2026-W40';

const dataDir = await mkdtemp(join(tmpdir(), 'flowmeter-bench-rollup-'));
const aws = await startEmbeddedAws({ dataDir });
const { table, reads, reset } = countingTable(aws);
await recordInstallation(
  table,
  { id: installationId, account: { id: 1, login: 'bench', type: 'Organization' } },
  new Date(),
  'active',
);

let number = 0;
/** `count` merged PRs inside `inWeek`, each with two reviews and three commits. */
function pullRequestsIn(inWeek: string, count: number): StoredPullRequest[] {
  const { start } = weekBounds(inWeek, 'UTC');
  return Array.from({ length: count }, (_, i) => {
    const created = start.getTime() + ((i * 7919) % (5 * 86_400_000));
    const at = (hours: number) => new Date(created + hours * 3_600_000).toISOString();
    number++;
    return {
      installationId,
      repositoryId: 1 + (i % 20),
      repositoryFullName: `bench/repo-${1 + (i % 20)}`,
      number,
      title: `Change ${number}`,
      state: 'merged',
      draft: false,
      authorId: 100 + (i % 60),
      authorLogin: `dev-${i % 60}`,
      authorType: 'User',
      createdAt: at(0),
      updatedAt: at(30),
      closedAt: at(30),
      mergedAt: at(30),
      labels: ['feature'],
      baseRef: 'main',
      additions: 40 + (i % 500),
      deletions: i % 90,
      changedFiles: 1 + (i % 12),
      commitCount: 3,
      readyAt: at(1),
      firstCommitAt: at(-2),
      commitDates: [at(-2), at(0), at(12)],
      coAuthors: [],
      reviews: Object.fromEntries(
        [0, 1].map((r) => [
          `${number}-${r}`,
          {
            reviewId: number * 10 + r,
            reviewerId: 100 + ((i + r + 1) % 60),
            reviewerLogin: `dev-${(i + r + 1) % 60}`,
            reviewerType: 'User',
            state: r === 0 ? 'commented' : 'approved',
            submittedAt: at(4 + r * 10),
          },
        ]),
      ),
    };
  });
}

async function load(inWeek: string, count: number): Promise<void> {
  for (let done = 0; done < count; done += 1000)
    await putPullRequests(table, pullRequestsIn(inWeek, Math.min(1000, count - done)));
}

/** Rolls the week up; what it read, per PR of the week. */
async function rollUp(tablePullRequests: number): Promise<{ itemsPerPr: number; figure: Figure }> {
  const label = `week among ${tablePullRequests.toLocaleString('en')} PRs`;
  reset();
  const started = performance.now();
  const weeks = await runRollup(benchRollupJob(label, installationId, week), {
    table,
    notify: async () => undefined,
    now: () => new Date(),
    remainingMs: () => 300_000,
  });
  const seconds = (performance.now() - started) / 1000;
  if (weeks.join() !== week) throw new Error(`rolled up ${weeks.join()}, expected ${week}`);
  const itemsPerPr = reads().items / weekPullRequests;
  return {
    itemsPerPr,
    figure: {
      name: `rollup of a ${weekPullRequests.toLocaleString('en')}-PR week in a table of ${tablePullRequests.toLocaleString('en')} PRs`,
      measured: `${reads().queries} queries, ${itemsPerPr.toFixed(2)} items and ${(reads().capacity / weekPullRequests).toFixed(3)} read units per PR of the week, ${seconds.toFixed(1)} s`,
    },
  };
}

await load(week, weekPullRequests);
// Other weeks: before and after, as a real history is.
for (const offset of [-2, -1, 1, 2]) await load(shiftWeek(week, offset), weekPullRequests);
const smaller = await rollUp(5 * weekPullRequests);
for (const offset of [-4, -3, 3, 4]) await load(shiftWeek(week, offset), weekPullRequests);
const larger = await rollUp(9 * weekPullRequests);
await aws.stop();
await rm(dataDir, { recursive: true, force: true });

// The few PRs crossing the week's edges are read too, so "the same" allows them a little.
const growth = larger.itemsPerPr / smaller.itemsPerPr;
report(import.meta.url, 'Weekly rollup of one week on the embedded DynamoDB', [
  smaller.figure,
  larger.figure,
  {
    name: 'items read per PR, 9× against 5× the week in the table',
    measured: `${growth.toFixed(3)}×`,
    target: 'at most 1.02× (reads grow with the week, not the table)',
    met: growth <= 1.02,
  },
]);
