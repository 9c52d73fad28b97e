import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { applyRetention, type RetentionOutcome } from '#shared/retention/apply-retention.ts';
import { retentionFunction } from './function.ts';

const logger = functionLogger(retentionFunction);
const config = parseEnv(retentionFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };

/** The daily schedule: what the retention policy says is past keeping goes. */
async function retain(): Promise<RetentionOutcome> {
  const outcome = await applyRetention(
    table,
    new Date(),
    config.RETENTION_DAYS,
    (message, details) => logger.info(message, details),
  );
  logger.info('retention applied', { ...outcome });
  return outcome;
}

export const handler = middy(retain).use(injectLambdaContext(logger));
