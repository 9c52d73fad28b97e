import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { eachMessage } from '#shared/queue/each-message.ts';
import { outgoingMessage } from '#shared/queue/message.ts';
import { rollupJobSchema, weeklyDigestSchema } from '#shared/queue/rollup-job.ts';
import { sendMessages } from '#shared/queue/send-batch.ts';
import { runRollup } from '#shared/rollup/run-rollup.ts';
import { rollupWorkerFunction } from './function.ts';

const logger = functionLogger(rollupWorkerFunction);
const config = parseEnv(rollupWorkerFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();

/**
 * One rollup job per record. A record that throws is reported as a batch item
 * failure and retried by SQS (recomputing is harmless), then parked on the DLQ.
 */
async function handleRollupJobs(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  return eachMessage(event, logger, rollupJobSchema, 'rollup job', async (job) => {
    const weeks = await runRollup(job, {
      table,
      notify: (digest) =>
        sendMessages(sqs, config.NOTIFY_QUEUE_URL, [
          outgoingMessage(weeklyDigestSchema, digest, 'digest'),
        ]),
      now: () => new Date(),
      remainingMs: () => context.getRemainingTimeInMillis(),
      log: (message, details) => logger.info(message, details),
    });
    logger.info('rollup done', { weeks });
  });
}

export const handler = middy(handleRollupJobs).use(injectLambdaContext(logger));
