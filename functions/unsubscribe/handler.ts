import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { parseEnv, unsubscribeConfigSchema } from '#shared/config.ts';
import { confirmPage, donePage, htmlPage } from '#shared/notify/unsubscribe-page.ts';
import { unsubscribe } from '#shared/store/settings.ts';

const logger = new Logger({ serviceName: 'flowmeter-unsubscribe' });
const config = parseEnv(unsubscribeConfigSchema);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };

const path = /^\/unsubscribe\/(\d{1,15})\/([A-Za-z0-9_-]{16,64})$/;

/**
 * `/unsubscribe/{installationId}/{token}`, the link in every email's footer
 * and List-Unsubscribe header. GET asks; POST (the button, or a mail
 * client's RFC 8058 one-click request) removes the recipient. An unknown
 * token answers like a used one, so the link can be clicked twice.
 */
async function handleUnsubscribe(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const match = path.exec(event.rawPath);
  if (!match) return htmlPage(404, 'Not found', '<p>This unsubscribe link is malformed.</p>');
  const method = event.requestContext.http.method;
  if (method === 'GET') return confirmPage();
  if (method !== 'POST') return htmlPage(405, 'Method not allowed', '<p>Use the button.</p>');
  const installationId = Number(match[1]);
  try {
    const removed = await unsubscribe(table, installationId, match[2] as string);
    // The address is personal data: log that it happened, not who.
    logger.info('unsubscribe', { installationId, removed: removed !== undefined });
    return donePage();
  } catch (error) {
    logger.error('unsubscribe failed', error as Error);
    return htmlPage(500, 'Something went wrong', '<p>Please try the link again in a minute.</p>');
  }
}

export const handler = middy(handleUnsubscribe).use(injectLambdaContext(logger));
