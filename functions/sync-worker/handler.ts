import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv, syncWorkerConfigSchema } from '#shared/config.ts';
import { createAppClient } from '#shared/github/app-client.ts';
import { appCredentialsSource } from '#shared/github/app-credentials.ts';
import { sendMessages } from '#shared/queue/send-batch.ts';
import { parseSyncJob } from '#shared/queue/sync-job.ts';
import { defaultSyncSettings, runSync } from '#shared/sync/run-sync.ts';

const logger = new Logger({ serviceName: 'flowmeter-sync-worker' });
const config = parseEnv(syncWorkerConfigSchema);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();
const credentials = appCredentialsSource(config);
const settings = {
  ...defaultSyncSettings,
  daysBack: config.SYNC_DAYS_BACK,
  reserve: config.SYNC_RATE_LIMIT_RESERVE,
};

/**
 * One sync job per record (the event source mapping sends batches of one: a
 * job may use the whole time budget). A record that throws is reported as a
 * batch item failure, retried by SQS, and parked on the DLQ after five tries.
 */
async function handleSyncJobs(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  const { appId, privateKey } = await credentials();
  for (const record of event.Records) {
    try {
      const job = parseSyncJob(record.body);
      logger.appendKeys({
        installationId: job.installationId,
        repository: job.repository.fullName,
        job: job.idempotencyKey,
      });
      const outcome = await runSync(job, {
        table,
        graphqlFor: (installationId) =>
          createAppClient({
            appId,
            privateKey,
            installationId,
            baseUrl: config.GITHUB_API_URL,
            remainingMs: () => context.getRemainingTimeInMillis(),
            requestSpacingMs: config.GITHUB_REQUEST_SPACING_MS,
          }).graphql,
        enqueue: (next, delaySeconds) =>
          sendMessages(sqs, config.SYNC_QUEUE_URL, [
            { id: String(next.repository.id), body: JSON.stringify(next), delaySeconds },
          ]),
        now: () => Date.now(),
        remainingMs: () => context.getRemainingTimeInMillis(),
        owner: `${context.awsRequestId}:${record.messageId}`,
        settings,
      });
      logger.info('sync job handled', { outcome });
    } catch (error) {
      logger.error('sync job failed; SQS will retry it', error as Error);
      failures.push({ itemIdentifier: record.messageId });
    } finally {
      logger.removeKeys(['installationId', 'repository', 'job']);
    }
  }
  return { batchItemFailures: failures };
}

export const handler = middy(handleSyncJobs).use(injectLambdaContext(logger));
