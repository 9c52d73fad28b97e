import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { dispatchReconciliation } from '#shared/sync/dispatch-reconciliation.ts';
import { reconcileFunction } from './function.ts';

const logger = functionLogger(reconcileFunction);
const config = parseEnv(reconcileFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();

/** The daily schedule: queue an incremental sync of every active repository. */
async function reconcile(): Promise<{ queued: number }> {
  const queued = await dispatchReconciliation(table, sqs, config.SYNC_QUEUE_URL, new Date());
  logger.info('reconciliation queued', { queued });
  return { queued };
}

export const handler = middy(reconcile).use(injectLambdaContext(logger));
