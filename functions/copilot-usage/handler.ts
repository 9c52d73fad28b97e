import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { fetchCopilotUsage } from '#shared/copilot/fetch-copilot-usage.ts';
import { createAppClient } from '#shared/github/app-client.ts';
import { appCredentialsSource } from '#shared/github/app-credentials.ts';
import { fetchCopilotReport } from '#shared/github/copilot-reports.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { copilotJobMessage, copilotJobSchema } from '#shared/queue/copilot-job.ts';
import { eachMessage } from '#shared/queue/each-message.ts';
import { sendMessages } from '#shared/queue/send-batch.ts';
import { copilotUsageFunction } from './function.ts';

const logger = functionLogger(copilotUsageFunction);
const config = parseEnv(copilotUsageFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();
const credentials = appCredentialsSource(config);

/**
 * One installation's Copilot usage job per record. A refusal or a rate
 * limit is an outcome, not a failure; anything else that throws is retried
 * by SQS and parked on the dead-letter queue after five tries.
 */
async function handleCopilotJobs(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const app = await credentials();
  const remainingMs = () => context.getRemainingTimeInMillis();
  return eachMessage(event, logger, copilotJobSchema, 'Copilot usage job', async (job) => {
    const { request } = createAppClient({
      ...app,
      installationId: job.installationId,
      baseUrl: config.GITHUB_API_URL,
      remainingMs,
    });
    const result = await fetchCopilotUsage(job, {
      table,
      report: (organisation, report, day) =>
        fetchCopilotReport({ request }, organisation, report, day),
      continueLater: (next, delaySeconds) =>
        sendMessages(sqs, config.COPILOT_QUEUE_URL, [copilotJobMessage(next, delaySeconds)]),
      now: () => new Date(),
      remainingMs,
      historyDays: config.COPILOT_HISTORY_DAYS,
      log: (message, details) => logger.info(message, details),
    });
    logger.info('Copilot usage job handled', {
      outcome: result.outcome,
      stored: result.stored.length,
    });
  });
}

export const handler = middy(handleCopilotJobs).use(injectLambdaContext(logger));
