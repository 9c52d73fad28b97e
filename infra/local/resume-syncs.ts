import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages } from '#shared/queue/send-batch.ts';
import { syncJobMessage } from '#shared/queue/sync-job.ts';
import { listInstallations, listRepositories } from '#shared/store/installations.ts';
import { runUnderWay } from '#shared/store/sync-status.ts';
import type { TableRef } from '#shared/store/table.ts';
import type { SyncedRepository } from '#shared/sync/checkpoint.ts';
import { letInHeldBack } from '#shared/sync/let-in-held-back.ts';
import { forgetSyncLease } from '#shared/sync/sync-state.ts';

/**
 * On a restart of the local stack, syncs the previous process left running
 * resume at once: their leases died with it, and their in-flight messages
 * would otherwise stay invisible for the queue's whole visibility timeout
 * (30 minutes, as in AWS). A parked deep phase waits for its turn as
 * before, and as many come in as the installation has room for. Returns
 * the repositories resumed.
 */
export async function resumeInterruptedSyncs(
  table: TableRef,
  sqs: Pick<SQSClient, 'send'>,
  syncQueueUrl: string,
): Promise<string[]> {
  const resumed: string[] = [];
  for (const installation of await listInstallations(table)) {
    const repositories = (await listRepositories(
      table,
      installation.installationId,
    )) as SyncedRepository[];
    const interrupted = repositories.filter((r) => runUnderWay(r) && !r.syncPending);
    for (const repo of interrupted) await forgetSyncLease(table, repo);
    const now = new Date().toISOString();
    await sendMessages(
      sqs,
      syncQueueUrl,
      interrupted.map((repo) =>
        syncJobMessage({
          version: 1,
          idempotencyKey: `${repo.syncLastJobKey}:resume:${now}`,
          installationId: repo.installationId,
          repository: { id: repo.repositoryId, fullName: repo.fullName },
          trigger: 'continuation',
          requestedAt: now,
        }),
      ),
    );
    resumed.push(...interrupted.map((repo) => repo.fullName));
    resumed.push(...(await letInHeldBack(table, sqs, syncQueueUrl, installation.installationId)));
  }
  return resumed;
}
