import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv, syncWorkerConfigSchema } from '#shared/config.ts';
import { appCredentialsSource } from '#shared/github/app-credentials.ts';
import { eachRecord } from '#shared/queue/each-record.ts';
import { parseSyncJob } from '#shared/queue/sync-job.ts';
import { syncWorker } from '#shared/resources.ts';
import { runSync } from '#shared/sync/run-sync.ts';
import { engineSettings } from '#shared/sync/sync-run.ts';
import { workerDependencies } from '#shared/sync/worker-dependencies.ts';

const logger = new Logger({ serviceName: syncWorker.metrics.service });
// CloudWatch embedded metric format: flushed to the log at the end of each invocation.
const metrics = new Metrics({
  namespace: syncWorker.metrics.namespace,
  serviceName: syncWorker.metrics.service,
});
const config = parseEnv(syncWorkerConfigSchema);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();
const credentials = appCredentialsSource(config);
const settings = {
  ...engineSettings,
  daysBack: config.SYNC_DAYS_BACK,
  reserve: config.SYNC_RATE_LIMIT_RESERVE,
};

/**
 * One sync job per record (the event source mapping sends batches of one: a
 * job may use the whole time budget). A record that throws is reported as a
 * batch item failure, retried by SQS, and parked on the DLQ after five tries.
 */
async function handleSyncJobs(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const { appId, privateKey } = await credentials();
  return eachRecord(event, logger, 'sync job', async (record) => {
    const job = parseSyncJob(record.body);
    logger.appendKeys({
      installationId: job.installationId,
      repository: job.repository.fullName,
      job: job.idempotencyKey,
    });
    const outcome = await runSync(
      job,
      workerDependencies({
        table,
        sqs,
        syncQueueUrl: config.SYNC_QUEUE_URL,
        notifyQueueUrl: config.NOTIFY_QUEUE_URL,
        credentials: { appId, privateKey },
        githubUrl: config.GITHUB_API_URL,
        requestSpacingMs: config.GITHUB_REQUEST_SPACING_MS,
        remainingMs: () => context.getRemainingTimeInMillis(),
        owner: `${context.awsRequestId}:${record.messageId}`,
        settings,
        count: (metric, value) => metrics.addMetric(metric, MetricUnit.Count, value),
      }),
    );
    logger.info('sync job handled', { outcome });
  });
}

export const handler = middy(handleSyncJobs)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
