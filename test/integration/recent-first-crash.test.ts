import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { finishedWeek } from '#shared/metrics/time-zone.ts';
import { keys } from '#shared/store/keys.ts';
import { dyingTable, type SentCommand } from '../support/dying-table.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { driveSync } from '../support/sync-driver.ts';
import { enqueueSyncJobs, recordSimulatedRepository, syncJobFor } from '../support/sync-jobs.ts';
import { expectRepositorySyncedExactly } from '../support/synced-exactly.ts';
import { until } from '../support/until.ts';
import { weeklyMetricItems } from '../support/weekly-metric-items.ts';

/** Where, between a first backfill's two phases, the process dies: each in an installation of its own. */
const crashes: [string, number, (command: SentCommand) => boolean][] = [
  [
    'recording its park',
    711,
    ({ input }) => Object.values(input.ExpressionAttributeValues ?? {}).includes('deep'),
  ],
  ['asking whether the week can be rolled up', 712, ({ input }) => input.ConsistentRead === true],
  [
    'letting its deep phase in',
    713,
    ({ input }) => input.UpdateExpression?.startsWith('REMOVE syncPending') === true,
  ],
];

const organisation = (installationId: number) => ({
  seed: installationId,
  installationId,
  organisation: `crashing-${installationId}`,
  repositories: [{ name: 'api', pullRequests: 130 }],
});

let sim: GitHubSimulator;
beforeAll(async () => {
  const [first, ...rest] = crashes.map(([, installationId]) => organisation(installationId));
  sim = await startGitHubSimulator({
    dataset: first as ReturnType<typeof organisation>,
    organisations: rest,
    copilotMetrics: 'disabled',
  });
});
const harness = useLocalStack();
afterAll(async () => {
  await sim.stop();
});

describe('a crash between the two phases of a first backfill', () => {
  it.each(crashes)(
    'loses nothing when the process dies %s: the run goes on, ends exactly, and the week is rolled up',
    async (_where, installationId, dies) => {
      const dataset = sim.installations.get(installationId)?.dataset;
      const repo = dataset?.repository(`crashing-${installationId}/api`);
      if (!dataset || !repo) throw new Error('no simulated repository');
      await recordSimulatedRepository(harness.table, { installationId, dataset }, repo);
      await enqueueSyncJobs(
        harness.sqs,
        harness.stack.aws.syncQueueUrl,
        syncJobFor(installationId, repo, `install:${installationId}`),
      );

      const { crashes, announced } = await driveSync(harness, sim, {
        table: dyingTable(harness.table, dies),
        done: async () =>
          (await harness.get(keys.repository(installationId, repo.id)))?.syncStatus === 'complete',
      });

      expect(crashes).toBe(1);
      await expectRepositorySyncedExactly(harness, dataset, installationId, repo.fullName);
      expect(announced.map((event) => event.outcome)).toEqual(['complete']);
      // The rollup its recent part asked for (the rollup worker runs in the stack).
      const week = finishedWeek(new Date(), 'UTC');
      await until(async () =>
        (await weeklyMetricItems(harness, installationId)).some(
          (item) => item.week === week && item.row === 'organisation',
        ),
      );
    },
  );
});
