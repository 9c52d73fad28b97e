import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { webhookSecretsSource } from '#shared/github/webhook-secrets.ts';
import { httpErrors } from '#shared/http/http-errors.ts';
import { jsonResponse } from '#shared/http/json-response.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { processWebhook, type WebhookDependencies } from '#shared/webhooks/process-webhook.ts';
import { readWebhookRequest } from '#shared/webhooks/webhook-request.ts';
import { webhookFunction } from './function.ts';

const logger = functionLogger(webhookFunction);
const config = parseEnv(webhookFunction.config);
const deps: WebhookDependencies = {
  table: { db: createDocumentClient(), tableName: config.TABLE_NAME },
  sqs: createSqsClient(),
  syncQueueUrl: config.SYNC_QUEUE_URL,
  copilotQueueUrl: config.COPILOT_QUEUE_URL,
  teamsQueueUrl: config.TEAMS_QUEUE_URL,
  secrets: webhookSecretsSource(config),
  deliveryRetentionDays: config.DELIVERY_RETENTION_DAYS,
  // Well past the function's timeout: a live attempt is never taken over.
  deliveryLeaseSeconds: 6 * webhookFunction.timeoutSeconds,
  now: () => new Date(),
};

/**
 * GitHub's way in: one delivery per request, answered with what became of it.
 * One route (API Gateway sends only `POST /webhooks/github` here), so no router.
 */
async function handleWebhook(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const request = readWebhookRequest(event);
  logger.appendKeys({ deliveryId: request.deliveryId, githubEvent: request.eventName });
  const { statusCode, ...result } = await processWebhook(request, deps);
  logger.info('webhook handled', { outcome: result.outcome, detail: result.detail });
  return jsonResponse(statusCode, result);
}

// Bad input keeps its 4xx; the rest is ours to fix, and GitHub can redeliver once it is.
export const handler = middy(handleWebhook)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors(logger, { fallbackMessage: 'internal error; the delivery can be redelivered' }));
