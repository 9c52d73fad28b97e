import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { appCredentialsSource } from '#shared/github/app-credentials.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { functionMetrics } from '#shared/powertools/metrics.ts';
import { eachMessage } from '#shared/queue/each-message.ts';
import { syncJobSchema } from '#shared/queue/sync-job.ts';
import { runSync } from '#shared/sync/run-sync.ts';
import { syncSettings } from '#shared/sync/sync-run.ts';
import { workerDependencies } from '#shared/sync/worker-dependencies.ts';
import { syncWorkerFunction } from './function.ts';

const logger = functionLogger(syncWorkerFunction);
const metrics = functionMetrics(syncWorkerFunction); // EMF, flushed at the end of each invocation
const config = parseEnv(syncWorkerFunction.config);
const credentials = appCredentialsSource(config);
const wiring = {
  table: { db: createDocumentClient(), tableName: config.TABLE_NAME },
  sqs: createSqsClient(),
  syncQueueUrl: config.SYNC_QUEUE_URL,
  notifyQueueUrl: config.NOTIFY_QUEUE_URL,
  rollupQueueUrl: config.ROLLUP_QUEUE_URL,
  githubUrl: config.GITHUB_API_URL,
  requestSpacingMs: config.GITHUB_REQUEST_SPACING_MS,
  settings: syncSettings({
    daysBack: config.SYNC_DAYS_BACK,
    reserve: config.SYNC_RATE_LIMIT_RESERVE,
  }),
};

/**
 * One sync job per record (batches of one: a job may use the whole time budget). A record that
 * throws is reported as a batch item failure, retried by SQS, and parked on the DLQ after five tries.
 */
async function handleSyncJobs(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const app = await credentials();
  return eachMessage(event, logger, syncJobSchema, 'sync job', async (job, record) => {
    logger.appendKeys({ repository: job.repository.fullName });
    const outcome = await runSync(
      job,
      workerDependencies({
        ...wiring,
        credentials: app,
        remainingMs: () => context.getRemainingTimeInMillis(),
        owner: `${context.awsRequestId}:${record.messageId}`,
        count: (metric, value) => metrics.addMetric(metric, MetricUnit.Count, value),
      }),
    );
    logger.info('sync job handled', { outcome });
  });
}

export const handler = middy(handleSyncJobs)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
