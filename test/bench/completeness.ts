import { readDeployConfig } from '#infra/deploy-config.ts';
import { startStackWithSimulator, syncsComplete } from '#infra/local/stack-with-simulator.ts';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { sendMessages } from '#shared/queue/send-batch.ts';
import { syncJobMessage } from '#shared/queue/sync-job.ts';
import { listRepositories } from '#shared/store/installations.ts';
import type { SyncedRepository } from '#shared/sync/checkpoint.ts';
import { windowSearch } from '#shared/sync/chunk-query.ts';
import { dispatchReconciliation } from '#shared/sync/dispatch-reconciliation.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { type Figure, report } from './report.ts';

/**
 * Benchmark, part 13: the completeness check's GitHub points per
 * repository. An organisation of BENCH_COMPLETENESS_REPOSITORIES (20)
 * repositories × 200 PRs backfills its deployed window, each run ending
 * with the check; then a day's reconciliation (an incremental run per
 * repository, each ending with the check), and the same incremental runs
 * asked by a webhook instead, which check nothing. The simulator charges
 * points by GitHub's documented rules; the difference is the check's cost.
 * For comparison, what a count would cost as a query of its own, alone
 * and for every repository in one aliased query.
 */
const repositories = Number(process.env.BENCH_COMPLETENESS_REPOSITORIES ?? 20);
const installationId = 1300;
const { daysBack } = readDeployConfig(() => undefined);

const { sim, stack, stop } = await startStackWithSimulator(
  {
    dataset: {
      seed: 1300,
      installationId,
      organisation: 'checked-org',
      repositories: Array.from({ length: repositories }, (_, i) => ({
        name: `service-${i + 1}`,
        pullRequests: 200,
      })),
    },
    copilotMetrics: 'disabled',
  },
  { daysBack },
);
const table = { db: createDocumentClient(), tableName: stack.aws.tableName };
const sqs = createSqsClient();
const repos = async () => (await listRepositories(table, installationId)) as SyncedRepository[];
const settled = async (done: (repo: SyncedRepository) => boolean) => {
  while (!(await repos()).every(done)) await new Promise((resolve) => setTimeout(resolve, 500));
};

await sim.activity.installed();
await syncsComplete(stack, installationId);
const backfilled = await repos();
const checked = backfilled.filter((repo) => repo.completeness);
const stored = checked.reduce((sum, repo) => sum + (repo.completeness?.stored ?? 0), 0);
const counted = checked.reduce((sum, repo) => sum + (repo.completeness?.github ?? 0), 0);

/** GitHub points the installation spent while `act` ran and its runs settled. */
async function pointsOf(act: () => Promise<unknown>, done: (repo: SyncedRepository) => boolean) {
  const before = sim.counters().graphqlPoints;
  await act();
  await settled(done);
  return sim.counters().graphqlPoints - before;
}

const checkedBefore = new Map(backfilled.map((repo) => [repo.repositoryId, repo.completeness]));
const withCheck = await pointsOf(
  () => dispatchReconciliation(table, sqs, stack.aws.syncQueueUrl, new Date()),
  (repo) =>
    repo.syncStatus === 'complete' &&
    repo.completeness?.checkedAt !== checkedBefore.get(repo.repositoryId)?.checkedAt,
);
const webhookKey = (repo: SyncedRepository) => `bench-deployment:${repo.repositoryId}`;
const withoutCheck = await pointsOf(
  () =>
    sendMessages(
      sqs,
      stack.aws.syncQueueUrl,
      backfilled.map((repo) =>
        syncJobMessage({
          version: 1,
          idempotencyKey: webhookKey(repo),
          installationId,
          repository: { id: repo.repositoryId, fullName: repo.fullName },
          trigger: 'deployment',
          requestedAt: new Date().toISOString(),
        }),
      ),
    ),
  (repo) => repo.syncStatus === 'complete' && repo.syncLastJobKey === webhookKey(repo),
);

// What a count of its own would cost, asked as the check would ask it.
const github = simOctokit(sim, { installationId });
const since = new Date(Date.now() - daysBack * 86_400_000).toISOString();
const countQuery = (names: readonly string[]) =>
  `query { ${names
    .map(
      (name, i) =>
        `r${i}: search(query: ${JSON.stringify(windowSearch(name, since))}, type: ISSUE, first: 1) { issueCount }`,
    )
    .join(' ')} rateLimit { cost } }`;
const costOf = async (names: readonly string[]) =>
  ((await github.graphql(countQuery(names))) as { rateLimit: { cost: number } }).rateLimit.cost;
const alone = await costOf([backfilled[0]?.fullName ?? '']);
const batched = await costOf(backfilled.slice(0, 100).map((repo) => repo.fullName));
await stop();

const perRepository = (points: number) => (points / repositories).toFixed(2);
const checkPoints = (withCheck - withoutCheck) / repositories;
const figures: Figure[] = [
  {
    name: `backfill of ${repositories} repositories × 200 PRs, ${daysBack}-day window: repositories checked; PRs stored of GitHub's count`,
    measured: `${checked.length} of ${repositories}; ${stored.toLocaleString('en')} of ${counted.toLocaleString('en')}`,
    target: 'every repository, all stored',
    met: checked.length === repositories && stored >= counted,
  },
  {
    name: "a day's reconciliation: an incremental run per repository, each ending with the check",
    measured: `${withCheck} points (${perRepository(withCheck)} per repository)`,
  },
  {
    name: 'the same incremental runs asked by a webhook, checking nothing',
    measured: `${withoutCheck} points (${perRepository(withoutCheck)} per repository)`,
  },
  {
    name: "the completeness check's points per repository (the difference; after a backfill its count is the backfill's own)",
    measured: `${checkPoints.toFixed(2)} points`,
    target: 'under 1 (what a count of its own costs)',
    met: checkPoints < 1,
  },
  {
    name: `for comparison: a count as a query of its own; ${Math.min(100, repositories)} aliased in one query`,
    measured: `${alone} point(s); ${batched} point(s)`,
  },
];
report(
  import.meta.url,
  `Completeness check: ${repositories} repositories × 200 PRs, ${daysBack}-day window`,
  figures,
);
