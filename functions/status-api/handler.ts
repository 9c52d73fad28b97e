import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { parseEnv, statusApiConfigSchema } from '#shared/config.ts';
import { jsonResponse } from '#shared/http/json-response.ts';
import { installationsView } from '#shared/status/installations-view.ts';
import { syncProgressView } from '#shared/status/sync-progress-view.ts';

const logger = new Logger({ serviceName: 'flowmeter-status-api' });
const config = parseEnv(statusApiConfigSchema);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };

/** Read-only views of what Flowmeter stored, for operators (IAM-authorised in AWS). */
async function handleStatusRequest(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const route = `${event.requestContext.http.method} ${event.rawPath}`;
  try {
    if (route === 'GET /api/installations') {
      return jsonResponse(200, { installations: await installationsView(table) });
    }
    const repos = /^GET \/api\/installations\/([^/]+)\/repos$/.exec(route);
    if (repos) {
      const installationId = Number(repos[1]);
      if (!Number.isSafeInteger(installationId) || installationId <= 0) {
        return jsonResponse(400, {
          error: `installation id must be a positive integer, not ${repos[1]}`,
        });
      }
      const repositories = await syncProgressView(table, installationId);
      return repositories.length > 0
        ? jsonResponse(200, { installationId, repositories })
        : jsonResponse(404, {
            error: `no repositories recorded for installation ${installationId}`,
          });
    }
    return jsonResponse(404, { error: `no route ${route}` });
  } catch (error) {
    logger.error('status request failed', { route, error: error as Error });
    return jsonResponse(500, { error: 'internal error' });
  }
}

export const handler = middy(handleStatusRequest).use(injectLambdaContext(logger));
