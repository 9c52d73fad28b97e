import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages } from '../queue/send-batch.ts';
import { type SyncJob, syncJobMessage } from '../queue/sync-job.ts';
import { listInstallations, listRepositories } from '../store/installations.ts';
import { runUnderWay } from '../store/sync-status.ts';
import type { TableRef } from '../store/table.ts';
import type { SyncedRepository } from './checkpoint.ts';
import { needsResync } from './completeness.ts';
import { letInHeldBack } from './let-in-held-back.ts';
import { holdBackForResync } from './sync-state.ts';

/** SQS's longest delay: the day's jobs are spread over it rather than sent as one burst. */
export const spreadSeconds = 900;
/** A few jobs need no quarter hour: ten seconds apart is spread enough, and the day's check ends sooner. */
const longestGapSeconds = 10;

/** What a day's reconciliation did: jobs queued, repositories held back to read their window again, and those still short after that. */
export interface Reconciliation {
  queued: number;
  resyncs: number;
  stillShort: number;
}

/**
 * The scheduled safety net for webhooks GitHub never delivered: one
 * incremental sync job per active repository of every active installation,
 * each ending with a completeness check (`completeness.ts`). An unchanged
 * repository costs the worker one GraphQL request. Jobs go out spread over
 * at most fifteen minutes (ten seconds apart while they are fewer than
 * ninety), installations taking turns, so a large one neither starts
 * hundreds of workers at once nor goes before everyone else. Keys are per
 * day, so a schedule that fires twice in a day queues jobs the worker
 * recognises as duplicates.
 *
 * A repository whose last check found PRs missing gets no incremental job:
 * it reads its window again instead, held back and let in like a first
 * sync (`sync-admission.ts`), so a day of re-syncs never crowds out anyone.
 * One under way is left to the next day, as holding a run under way back
 * would park it. Those still short after a re-sync are counted, for the
 * alarm.
 */
export async function dispatchReconciliation(
  table: TableRef,
  sqs: Pick<SQSClient, 'send'>,
  syncQueueUrl: string,
  now: Date,
): Promise<Reconciliation> {
  const day = now.toISOString().slice(0, 10);
  const perInstallation: SyncJob[][] = [];
  let resyncs = 0;
  let stillShort = 0;
  for (const installation of await listInstallations(table)) {
    if (installation.status !== 'active') continue;
    const { installationId } = installation;
    const repositories = (await listRepositories(table, installationId)).filter(
      (repo) => repo.active,
    ) as SyncedRepository[];
    const resync = repositories.filter(
      (repo) => needsResync(repo.completeness) && !runUnderWay(repo),
    );
    stillShort += repositories.filter((repo) => repo.completeness?.state === 'still-short').length;
    if (resync.length > 0) {
      await holdBackForResync(
        table,
        installationId,
        resync.map((repo) => repo.repositoryId),
      );
      await letInHeldBack(table, sqs, syncQueueUrl, installationId);
      resyncs += resync.length;
    }
    perInstallation.push(
      repositories
        .filter((repo) => !resync.includes(repo))
        .map((repo) => ({
          version: 1,
          idempotencyKey: `reconcile:${day}:${repo.repositoryId}`,
          installationId,
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
  return { queued: schedule.length, resyncs, stillShort };
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
