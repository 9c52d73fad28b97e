import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { eachMessage } from '#shared/queue/each-message.ts';
import { holidaysJobSchema } from '#shared/queue/holidays-job.ts';
import { resolveDueHolidays } from '#shared/store/holiday-resolution.ts';
import { resolveRegion } from '#shared/working-time/public-holidays.ts';
import { holidaysFunction } from './function.ts';

const logger = functionLogger(holidaysFunction);
const config = parseEnv(holidaysFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };

/**
 * One scope's pending holidays per record, resolved for every year of
 * GitHub's history and ten ahead, as `npm run settings` resolves them. A
 * record that throws is retried by SQS and parked on the dead-letter queue
 * after five tries.
 */
async function handleHolidaysJobs(event: SQSEvent): Promise<SQSBatchResponse> {
  return eachMessage(event, logger, holidaysJobSchema, 'holidays job', async (job) => {
    const now = new Date();
    const outcome = await resolveDueHolidays(
      table,
      job,
      (region) => resolveRegion(region, now),
      now,
    );
    logger.info('holidays job handled', {
      installationId: job.installationId,
      teamId: job.teamId,
      outcome,
    });
  });
}

export const handler = middy(handleHolidaysJobs).use(injectLambdaContext(logger));
