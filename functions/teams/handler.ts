import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { createAppClient } from '#shared/github/app-client.ts';
import { appCredentialsSource } from '#shared/github/app-credentials.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { eachMessage } from '#shared/queue/each-message.ts';
import { sendMessages } from '#shared/queue/send-batch.ts';
import { teamsJobMessage, teamsJobSchema } from '#shared/queue/teams-job.ts';
import { readTeamsOfInstallation } from '#shared/teams/read-teams.ts';
import { teamsFunction } from './function.ts';

const logger = functionLogger(teamsFunction);
const config = parseEnv(teamsFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();
const credentials = appCredentialsSource(config);

/**
 * One installation's teams reading per record. A refusal or a wait for the
 * budget is an outcome, not a failure; anything else that throws is retried
 * by SQS and parked on the dead-letter queue after five tries.
 */
async function handleTeamsJobs(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const app = await credentials();
  return eachMessage(event, logger, teamsJobSchema, 'teams reading', async (job) => {
    const { graphql } = createAppClient({
      ...app,
      installationId: job.installationId,
      baseUrl: config.GITHUB_API_URL,
      remainingMs: () => context.getRemainingTimeInMillis(),
      requestSpacingMs: config.GITHUB_REQUEST_SPACING_MS,
    });
    const outcome = await readTeamsOfInstallation(job, {
      table,
      graphql,
      reserve: config.SYNC_RATE_LIMIT_RESERVE,
      continueLater: (next, delaySeconds) =>
        sendMessages(sqs, config.TEAMS_QUEUE_URL, [teamsJobMessage(next, delaySeconds)]),
      now: () => new Date(),
      log: (message, details) => logger.info(message, details),
    });
    logger.info('teams reading handled', { outcome });
  });
}

export const handler = middy(handleTeamsJobs).use(injectLambdaContext(logger));
