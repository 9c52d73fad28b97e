import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Dataset, SimRepository } from '#infra/local/github-sim/dataset.ts';
import { type SyncJob, syncJobSchema } from '#shared/queue/sync-job.ts';
import { recordInstallation, recordRepositories } from '#shared/store/installations.ts';
import type { TableRef } from '#shared/store/table.ts';

/** A valid sync job for a simulated repository, as a webhook or the schedule would queue it. */
export function syncJobFor(
  installationId: number,
  repository: SimRepository,
  idempotencyKey: string,
  trigger: SyncJob['trigger'] = 'installation',
): SyncJob {
  return syncJobSchema.parse({
    version: 1,
    idempotencyKey,
    installationId,
    repository: { id: repository.id, fullName: repository.fullName },
    trigger,
    requestedAt: new Date().toISOString(),
  });
}

export async function enqueueSyncJobs(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  ...jobs: SyncJob[]
) {
  for (const job of jobs) {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job) }),
    );
  }
}

/** A simulated organisation's installation and one repository of it, recorded as its installation webhook would. */
export async function recordSimulatedRepository(
  ref: TableRef,
  installation: { installationId: number; dataset: Dataset },
  repository: SimRepository,
) {
  await recordInstallation(
    ref,
    { id: installation.installationId, account: installation.dataset.organisation },
    new Date(),
    'active',
  );
  await recordRepositories(
    ref,
    installation.installationId,
    [
      {
        id: repository.id,
        name: repository.name,
        full_name: repository.fullName,
        private: false,
      },
    ],
    new Date(),
  );
}
