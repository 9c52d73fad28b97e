import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv, rollupWorkerConfigSchema } from '#shared/config.ts';
import { eachRecord } from '#shared/queue/each-record.ts';
import { rollupJobSchema, weeklyDigestSchema } from '#shared/queue/rollup-job.ts';
import { sendMessages } from '#shared/queue/send-batch.ts';
import { runRollup } from '#shared/rollup/run-rollup.ts';

const logger = new Logger({ serviceName: 'flowmeter-rollup-worker' });
const config = parseEnv(rollupWorkerConfigSchema);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();

/**
 * One rollup job per record. A record that throws is reported as a batch item
 * failure and retried by SQS (recomputing is harmless), then parked on the DLQ.
 */
async function handleRollupJobs(event: SQSEvent): Promise<SQSBatchResponse> {
  return eachRecord(event, logger, 'rollup job', async (record) => {
    const job = rollupJobSchema.parse(JSON.parse(record.body));
    logger.appendKeys({ installationId: job.installationId, job: job.idempotencyKey });
    const weeks = await runRollup(job, {
      table,
      notify: (digest) =>
        sendMessages(sqs, config.NOTIFY_QUEUE_URL, [
          { id: 'digest', body: JSON.stringify(weeklyDigestSchema.parse(digest)) },
        ]),
      log: (message, details) => logger.info(message, details),
    });
    logger.info('rollup done', { weeks });
  });
}

export const handler = middy(handleRollupJobs).use(injectLambdaContext(logger));
