import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages } from '../queue/send-batch.ts';
import { syncJobMessage, syncJobMessages } from '../queue/sync-job.ts';
import { admitNext } from '../store/sync-admission.ts';
import type { TableRef } from '../store/table.ts';

/**
 * Lets the installation's held-back repositories in as far as it has room
 * (`sync-admission.ts`; `ending` not counted), and queues a sync job for
 * each. Returns their names.
 */
export async function letInHeldBack(
  table: TableRef,
  sqs: Pick<SQSClient, 'send'>,
  syncQueueUrl: string,
  installationId: number,
  ending?: number,
): Promise<string[]> {
  const admitted = await admitNext(table, installationId, ending);
  const now = new Date();
  const target = (repo: (typeof admitted)[number]) => ({
    id: repo.repositoryId,
    fullName: repo.fullName,
  });
  await sendMessages(sqs, syncQueueUrl, [
    ...syncJobMessages({
      installationId,
      repositories: admitted.filter((repo) => !repo.continuing).map(target),
      trigger: 'installation',
      deliveryId: `admitted:${now.toISOString()}`,
      now,
    }),
    // A parked deep phase goes on as a continuation: once its run ended, the job is dropped.
    ...admitted.flatMap((repo) =>
      repo.continuing
        ? [
            syncJobMessage({
              version: 1,
              idempotencyKey: `${repo.continuing}:deep`,
              installationId,
              repository: target(repo),
              trigger: 'continuation',
              requestedAt: now.toISOString(),
            }),
          ]
        : [],
    ),
  ]);
  return admitted.map((repo) => repo.fullName);
}
