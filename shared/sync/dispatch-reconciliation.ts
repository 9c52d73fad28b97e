import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages } from '../queue/send-batch.ts';
import { syncJobMessage } from '../queue/sync-job.ts';
import { listInstallations, listRepositories } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';

/**
 * The scheduled safety net for webhooks GitHub never delivered: one
 * incremental sync job per active repository of every active installation.
 * An unchanged repository costs the worker one GraphQL request. Keys are per
 * day, so a schedule that fires twice in a day queues jobs the worker
 * recognises as duplicates.
 */
export async function dispatchReconciliation(
  table: TableRef,
  sqs: Pick<SQSClient, 'send'>,
  syncQueueUrl: string,
  now: Date,
): Promise<number> {
  const day = now.toISOString().slice(0, 10);
  let queued = 0;
  for (const installation of await listInstallations(table)) {
    if (installation.status !== 'active') continue;
    const repositories = (await listRepositories(table, installation.installationId)).filter(
      (repo) => repo.active,
    );
    await sendMessages(
      sqs,
      syncQueueUrl,
      repositories.map((repo) =>
        syncJobMessage({
          version: 1,
          idempotencyKey: `reconcile:${day}:${repo.repositoryId}`,
          installationId: installation.installationId,
          repository: { id: repo.repositoryId, fullName: repo.fullName },
          trigger: 'reconcile',
          requestedAt: now.toISOString(),
        }),
      ),
    );
    queued += repositories.length;
  }
  return queued;
}
