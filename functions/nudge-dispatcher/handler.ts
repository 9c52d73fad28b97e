import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { dispatchNudges } from '#shared/nudges/dispatch-nudges.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { dispatchEventSchema } from '#shared/queue/dispatch-event.ts';
import { nudgeDispatcherFunction } from './function.ts';

const logger = functionLogger(nudgeDispatcherFunction);
const config = parseEnv(nudgeDispatcherFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();

/** The hourly schedule: the morning nudges due now, one message per team with something waiting. */
async function dispatch(
  input: unknown,
): Promise<{ queued: { installationId: number; teamId: number; day: string }[] }> {
  const event = dispatchEventSchema.parse(input ?? {});
  const nudges = await dispatchNudges(
    table,
    sqs,
    config.NOTIFY_QUEUE_URL,
    new Date(),
    event.mode,
    event.installationId,
  );
  logger.info('nudges queued', { nudges: nudges.map((nudge) => nudge.idempotencyKey) });
  return {
    queued: nudges.map(({ installationId, teamId, day }) => ({ installationId, teamId, day })),
  };
}

export const handler = middy(dispatch).use(injectLambdaContext(logger));
