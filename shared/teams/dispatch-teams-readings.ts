import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages } from '../queue/send-batch.ts';
import { type TeamsJob, teamsJobMessage } from '../queue/teams-job.ts';
import { listInstallations } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';

/**
 * The daily teams reading: one job per active installation, catching the
 * `team` and `membership` webhooks GitHub never delivered, and asking again
 * where the "Members" permission was not granted yet. A user account's job
 * asks GitHub nothing (it has no teams) and only records that. A reading
 * costs an organisation one request per 100 teams, so they go out at once. Keys are per day: a schedule that
 * fires twice queues recognisable repeats.
 */
export async function dispatchTeamsReadings(
  table: TableRef,
  sqs: Pick<SQSClient, 'send'>,
  teamsQueueUrl: string,
  now: Date,
): Promise<number> {
  const day = now.toISOString().slice(0, 10);
  const jobs: TeamsJob[] = (await listInstallations(table))
    .filter((installation) => installation.status === 'active')
    .map((installation) => ({
      version: 1,
      kind: 'teams',
      idempotencyKey: `teams:reconcile:${day}:${installation.installationId}`,
      installationId: installation.installationId,
      trigger: 'reconcile',
      requestedAt: now.toISOString(),
    }));
  await sendMessages(
    sqs,
    teamsQueueUrl,
    jobs.map((job) => teamsJobMessage(job)),
  );
  return jobs.length;
}
