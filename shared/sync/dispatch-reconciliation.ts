import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages } from '../queue/send-batch.ts';
import { type SyncJob, syncJobMessage } from '../queue/sync-job.ts';
import { listInstallations, listRepositories } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';

/** SQS's longest delay: the day's jobs are spread over it rather than sent as one burst. */
export const spreadSeconds = 900;
/** A few jobs need no quarter hour: ten seconds apart is spread enough, and the day's check ends sooner. */
const longestGapSeconds = 10;

/**
 * The scheduled safety net for webhooks GitHub never delivered: one
 * incremental sync job per active repository of every active installation.
 * An unchanged repository costs the worker one GraphQL request. Jobs go out
 * spread over at most fifteen minutes (ten seconds apart while they are
 * fewer than ninety), installations taking turns, so a large one
 * neither starts hundreds of workers at once nor goes before everyone else.
 * Keys are per day, so a schedule that fires twice in a day queues jobs the
 * worker recognises as duplicates.
 */
export async function dispatchReconciliation(
  table: TableRef,
  sqs: Pick<SQSClient, 'send'>,
  syncQueueUrl: string,
  now: Date,
): Promise<number> {
  const day = now.toISOString().slice(0, 10);
  const perInstallation: SyncJob[][] = [];
  for (const installation of await listInstallations(table)) {
    if (installation.status !== 'active') continue;
    const repositories = await listRepositories(table, installation.installationId);
    perInstallation.push(
      repositories
        .filter((repo) => repo.active)
        .map((repo) => ({
          version: 1,
          idempotencyKey: `reconcile:${day}:${repo.repositoryId}`,
          installationId: installation.installationId,
          repository: { id: repo.repositoryId, fullName: repo.fullName },
          trigger: 'reconcile',
          requestedAt: now.toISOString(),
        })),
    );
  }
  const schedule = spreadOut(perInstallation);
  await sendMessages(
    sqs,
    syncQueueUrl,
    schedule.map(({ job, delaySeconds }) => syncJobMessage(job, delaySeconds)),
  );
  return schedule.length;
}

/** Installations take turns, one job each, and the turns are spread evenly over the fifteen minutes, at most ten seconds apart. */
export function spreadOut<Job>(
  perInstallation: readonly Job[][],
): { job: Job; delaySeconds: number }[] {
  const longest = Math.max(0, ...perInstallation.map((jobs) => jobs.length));
  const turns = Array.from({ length: longest }, (_, turn) =>
    perInstallation.flatMap((jobs) => (turn < jobs.length ? [jobs[turn] as Job] : [])),
  ).flat();
  const gapSeconds = Math.min(longestGapSeconds, spreadSeconds / turns.length);
  return turns.map((job, index) => ({ job, delaySeconds: Math.floor(index * gapSeconds) }));
}
