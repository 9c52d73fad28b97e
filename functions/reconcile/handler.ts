import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv, reconcileConfigSchema } from '#shared/config.ts';
import { dispatchReconciliation } from '#shared/sync/dispatch-reconciliation.ts';

const logger = new Logger({ serviceName: 'flowmeter-reconcile' });
const config = parseEnv(reconcileConfigSchema);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();

/** EventBridge schedule (daily): queue an incremental sync of every active repository. */
async function reconcile(event: ScheduledEvent): Promise<{ queued: number }> {
  const queued = await dispatchReconciliation(
    table,
    sqs,
    config.SYNC_QUEUE_URL,
    new Date(event.time),
  );
  logger.info('reconciliation queued', { queued });
  return { queued };
}

export const handler = middy(reconcile).use(injectLambdaContext(logger));
