import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedAws } from '#infra/local/embedded-aws.ts';
import { deliveryOf } from '#infra/local/github-sim/delivery.ts';
import { startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import type { Deployment } from '#shared/metrics/deployment.ts';
import type { StoredPullRequest } from '#shared/metrics/pull-request.ts';
import { shiftWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { runRollup } from '#shared/rollup/run-rollup.ts';
import { recordDeliveryPage } from '#shared/store/delivery-history.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { recordRepositories } from '#shared/store/installations.ts';
import { putPullRequests } from '#shared/store/pull-requests.ts';
import type { DeliveryCheckpoint } from '#shared/sync/delivery-stream.ts';
import { fetchChunk } from '#shared/sync/fetch-chunk.ts';
import { simAppClient } from '../support/sim-octokit.ts';
import { benchRollupJob, countingTable, recordOrganisation } from './query-reads.ts';
import { type Figure, report } from './report.ts';

/**
 * Benchmark, part 11: delivery (DORA). What the sync's delivery stream asks
 * of GitHub — requests and GraphQL points per 1,000 deployments backfilled,
 * and per 1,000 default-branch commits read to attribute merged PRs to the
 * deployments that shipped them — over two years of a simulated repository;
 * then what a week's rollup reads when its installation deploys, as the
 * table's history grows.
 */
const sim = await startGitHubSimulator({
  dataset: {
    seed: 14,
    installationId: 14,
    organisation: 'bench',
    repositories: [{ name: 'shipping', pullRequests: 6000 }],
    weeks: 104,
  },
  rateLimits: { coreLimit: 1_000_000, graphqlLimit: 1_000_000 },
});
const [repo] = sim.dataset.repositories;
if (!repo) throw new Error('no repository');
const truth = deliveryOf(sim.dataset, repo);
const { graphql } = simAppClient(sim, sim.installationId, {
  remainingMs: () => 600_000,
  requestSpacingMs: 0,
});
const ref = { installationId: 14, repositoryId: repo.id, repositoryFullName: repo.fullName };

/** Reads the delivery stream from `start` to its end, as chunks with no PR page do. */
async function readStream(start: DeliveryCheckpoint) {
  let checkpoint: DeliveryCheckpoint | null = start;
  const read = { requests: 0, points: 0, deployments: 0, releases: 0, commits: 0, issues: 0 };
  while (checkpoint) {
    const chunk = await fetchChunk(graphql, ref, null, [], checkpoint);
    read.requests++;
    read.points += chunk.points;
    read.deployments += chunk.delivery?.deployments.length ?? 0;
    read.releases += chunk.delivery?.releases.length ?? 0;
    read.commits += chunk.delivery?.branch.length ?? 0;
    read.issues += chunk.delivery?.issues.length ?? 0;
    checkpoint = chunk.delivery?.next ?? null;
  }
  return read;
}

const base = { since: null, deploymentsRead: 0 };
const deployments = await readStream({ ...base, deployments: { after: null } });
const releases = await readStream({ ...base, releases: { after: null } });
const history = await readStream({ ...base, history: { after: null } });
const incidents = await readStream({ ...base, incidents: { after: null } });
const together = await readStream({
  ...base,
  deployments: { after: null },
  releases: { after: null },
  history: { after: null },
  incidents: { after: null },
});
await sim.stop();
if (
  deployments.deployments !== truth.deployments.length ||
  releases.releases !== truth.releases.length ||
  history.commits !== truth.branch.length
)
  throw new Error('the stream did not read every deployment, release and commit');
const per = (count: number, of: number) => ((count / of) * 1000).toFixed(1);
const statuses = truth.deployments.reduce((n, d) => n + d.statuses.length, 0);
const figures: Figure[] = [
  {
    name: 'the simulated history read: two years of one repository',
    measured: `${truth.deployments.length.toLocaleString('en')} deployments with ${statuses.toLocaleString('en')} statuses, ${truth.releases.length} releases, ${truth.branch.length.toLocaleString('en')} default-branch commits, ${truth.issues.length} issues`,
  },
  {
    name: 'deployments alone (50 a page, statuses nested)',
    measured: `${deployments.requests} requests, ${deployments.points} points = ${per(deployments.points, deployments.deployments)} points per 1,000 deployments`,
  },
  {
    name: "releases alone (50 a page, each tag's commit nested)",
    measured: `${releases.requests} requests, ${releases.points} points = ${per(releases.points, releases.releases)} points per 1,000 releases`,
  },
  {
    name: "default branch's history alone (100 commits a page)",
    measured: `${history.requests} requests, ${history.points} points = ${per(history.points, history.commits)} points per 1,000 commits`,
  },
  {
    name: 'issues alone (50 a page, labels nested)',
    measured: `${incidents.requests} requests, ${incidents.points} points for ${incidents.issues} issues`,
  },
  {
    name: 'all four in one request per chunk, as the sync reads them',
    measured: `${together.requests} requests, ${together.points} points = ${per(together.points, together.deployments)} points per 1,000 deployments`,
  },
];

// The rollup: a week of ten repositories deploying twice a weekday, in a table of growing history.
const dataDir = await mkdtemp(join(tmpdir(), 'flowmeter-bench-delivery-'));
const aws = await startEmbeddedAws({ dataDir });
const { table, reads, reset } = countingTable(aws);
const installationId = 15;
const repositories = Array.from({ length: 10 }, (_, i) => ({
  id: 9000 + i,
  name: `service-${i}`,
  full_name: `bench/service-${i}`,
  private: false,
}));
await recordOrganisation(table, installationId, { id: 1, login: 'bench' });
await recordRepositories(table, installationId, repositories, new Date());
const week = '2026-W40';
const hour = 3_600_000;
let position = 0;
let number = 0;

/** A week of one repository: four merges a weekday, each shipped by the next of two daily deployments. */
async function loadWeek(inWeek: string): Promise<void> {
  const { start } = weekBounds(inWeek, 'UTC');
  for (const repository of repositories) {
    const pullRequests: StoredPullRequest[] = [];
    const branch: { position: number; sha: string; committedAt: string }[] = [];
    const shipped: Deployment[] = [];
    for (let day = 0; day < 5; day++) {
      for (let merge = 0; merge < 4; merge++) {
        const mergedAt = new Date(start.getTime() + day * 24 * hour + (8 + merge * 2) * hour);
        const sha = (++position).toString(16).padStart(40, '0');
        number++;
        branch.push({ position, sha, committedAt: mergedAt.toISOString() });
        pullRequests.push({
          installationId,
          repositoryId: repository.id,
          repositoryFullName: repository.full_name,
          number,
          title: `Change ${number}`,
          state: 'merged',
          draft: false,
          authorId: 100,
          authorLogin: 'dev',
          authorType: 'User',
          createdAt: new Date(mergedAt.getTime() - 20 * hour).toISOString(),
          updatedAt: mergedAt.toISOString(),
          closedAt: mergedAt.toISOString(),
          mergedAt: mergedAt.toISOString(),
          labels: [],
          baseRef: 'main',
          headRef: `change-${number}`,
          mergeCommitSha: sha,
          firstCommitAt: new Date(mergedAt.getTime() - 24 * hour).toISOString(),
          reviews: {},
        });
        if (merge % 2 === 1) {
          const at = new Date(mergedAt.getTime() + hour).toISOString();
          shipped.push({
            installationId,
            repositoryId: repository.id,
            repositoryFullName: repository.full_name,
            deploymentId: number,
            environment: 'production',
            sha,
            ref: 'main',
            creatorLogin: 'github-actions[bot]',
            createdAt: at,
            statuses: [{ deploymentId: number, state: 'success', createdAt: at }],
          });
        }
      }
    }
    await putPullRequests(table, pullRequests);
    await recordDeliveryPage(
      table,
      { installationId, repositoryId: repository.id },
      { deployments: shipped, releases: [], branch, issues: [] },
      'incident',
      new Date(),
    );
  }
}

async function rollUp(label: string, weeks: number): Promise<{ items: number }> {
  // Loading marked every week; only the one week is measured.
  await clearDirtyWeeks(table, installationId, await listDirtyWeeks(table, installationId));
  reset();
  await runRollup(benchRollupJob(label, installationId, week), {
    table,
    notify: async () => undefined,
    // Long after the week: its lookahead is whole, and no mark is left for later.
    now: () => new Date('2027-06-01T00:00:00Z'),
    remainingMs: () => 600_000,
  });
  figures.push({
    name: `rollup of a week whose 10 repositories merge 20 PRs and deploy 10 times each, ${label}`,
    measured: `${reads().queries} queries, ${reads().items.toLocaleString('en')} items, ${reads().capacity.toFixed(0)} read units (table of ${weeks} weeks)`,
  });
  return { items: reads().items };
}

const itemsRead: number[] = [];
let loaded = 0;
for (const [label, around] of [
  ['week among 8 others', 4],
  ['week among 16 others', 8],
  ['week among 32 others', 16],
] as const) {
  for (let offset = -around; offset <= around; offset++) {
    if (Math.abs(offset) > loaded || (offset === 0 && loaded === 0))
      await loadWeek(shiftWeek(week, offset));
  }
  loaded = around;
  itemsRead.push((await rollUp(label, 2 * around + 1)).items);
}
await aws.stop();
await rm(dataDir, { recursive: true, force: true });
// Once the history is longer than the span a week's delivery looks at, what it reads stays put.
const growth = (itemsRead.at(-1) ?? 0) / (itemsRead[1] ?? 1);
figures.push({
  name: "items a week's rollup reads, among 32 weeks against among 16",
  measured: `${growth.toFixed(3)}×`,
  target: 'at most 1.02× (reads grow with the week and its span, not the table)',
  met: growth <= 1.02,
});
report(
  import.meta.url,
  "Delivery (DORA): the sync's delivery stream, and a week's rollup",
  figures,
);
