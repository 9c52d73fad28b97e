import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv, webhookConfigSchema } from '#shared/config.ts';
import { FlowmeterError } from '#shared/errors.ts';
import { webhookSecretsSource } from '#shared/github/webhook-secrets.ts';
import { jsonResponse } from '#shared/http/json-response.ts';
import { processWebhook, type WebhookDependencies } from '#shared/webhooks/process-webhook.ts';
import { readWebhookRequest } from '#shared/webhooks/webhook-request.ts';

const logger = new Logger({ serviceName: 'flowmeter-webhook' });
const config = parseEnv(webhookConfigSchema);
const deps: WebhookDependencies = {
  table: { db: createDocumentClient(), tableName: config.TABLE_NAME },
  sqs: createSqsClient(),
  syncQueueUrl: config.SYNC_QUEUE_URL,
  secrets: webhookSecretsSource(config),
  deliveryRetentionDays: config.DELIVERY_RETENTION_DAYS,
  // Well past the function's 10 s timeout: a live attempt is never taken over.
  deliveryLeaseSeconds: 60,
  now: () => new Date(),
};

async function handleWebhook(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const request = readWebhookRequest(event);
    logger.appendKeys({ deliveryId: request.deliveryId, githubEvent: request.eventName });
    const { statusCode, ...result } = await processWebhook(request, deps);
    logger.info('webhook handled', { outcome: result.outcome, detail: result.detail });
    return jsonResponse(statusCode, result);
  } catch (error) {
    // The one place errors become HTTP: bad input keeps its 4xx, the rest is
    // ours to fix and GitHub can redeliver once it is.
    if (error instanceof FlowmeterError) {
      logger.warn('webhook rejected', { status: error.status, reason: error.message });
      return jsonResponse(error.status, { error: error.message });
    }
    logger.error('webhook failed', error as Error);
    return jsonResponse(500, { error: 'internal error; the delivery can be redelivered' });
  } finally {
    logger.resetKeys();
  }
}

export const handler = middy(handleWebhook).use(injectLambdaContext(logger));
