import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { dispatchEventSchema } from '#shared/queue/dispatch-event.ts';
import type { RollupJob } from '#shared/queue/rollup-job.ts';
import { dispatchRollups } from '#shared/rollup/dispatch-rollups.ts';
import { rollupDispatcherFunction } from './function.ts';

const logger = functionLogger(rollupDispatcherFunction);
const config = parseEnv(rollupDispatcherFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();

/**
 * The hourly schedule: rollup jobs for the installations whose Monday 06:00
 * it is, and for those with late data. `{"mode": "now"}` (what
 * `npm run rollup` sends in AWS) rolls up every installation at once.
 */
async function dispatch(
  input: unknown,
): Promise<{ queued: Pick<RollupJob, 'installationId' | 'week'>[] }> {
  const event = dispatchEventSchema.parse(input ?? {});
  const jobs = await dispatchRollups(
    table,
    sqs,
    config.ROLLUP_QUEUE_URL,
    new Date(),
    event.mode,
    event.installationId,
  );
  logger.info('rollups queued', { jobs: jobs.map((job) => job.idempotencyKey) });
  return { queued: jobs.map(({ installationId, week }) => ({ installationId, week })) };
}

export const handler = middy(dispatch).use(injectLambdaContext(logger));
