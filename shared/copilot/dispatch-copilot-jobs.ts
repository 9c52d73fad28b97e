import type { SQSClient } from '@aws-sdk/client-sqs';
import { type CopilotJob, copilotJobMessage } from '../queue/copilot-job.ts';
import { sendMessages } from '../queue/send-batch.ts';
import { listInstallations } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';

/**
 * The daily Copilot usage fetch: one job per active organisation
 * installation (a user account has no Copilot usage metrics). A job costs
 * a day's two reports once the history is in, so they go out at once.
 * Keys are per day: a schedule that fires twice queues recognisable repeats.
 */
export async function dispatchCopilotJobs(
  table: TableRef,
  sqs: Pick<SQSClient, 'send'>,
  copilotQueueUrl: string,
  now: Date,
): Promise<number> {
  const day = now.toISOString().slice(0, 10);
  const jobs: CopilotJob[] = (await listInstallations(table))
    .filter((installation) => installation.status === 'active')
    .filter((installation) => installation.accountType === 'Organization')
    .map((installation) => ({
      version: 1,
      kind: 'copilot-usage',
      idempotencyKey: `copilot:reconcile:${day}:${installation.installationId}`,
      installationId: installation.installationId,
      trigger: 'reconcile',
      requestedAt: now.toISOString(),
    }));
  await sendMessages(
    sqs,
    copilotQueueUrl,
    jobs.map((job) => copilotJobMessage(job)),
  );
  return jobs.length;
}
