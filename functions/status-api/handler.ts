import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { parseEnv, statusApiConfigSchema } from '#shared/config.ts';
import { jsonResponse } from '#shared/http/json-response.ts';
import { getInstallation } from '#shared/store/installations.ts';
import { installationsView } from '#shared/views/installations-view.ts';
import { syncProgressView } from '#shared/views/sync-progress-view.ts';
import { weeklyMetricsView } from '#shared/views/weekly-metrics-view.ts';

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
    const match = /^GET \/api\/installations\/([^/]+)\/(repos|metrics\/weekly)$/.exec(route);
    if (match) {
      const installationId = Number(match[1]);
      if (!Number.isSafeInteger(installationId) || installationId <= 0) {
        return jsonResponse(400, {
          error: `installation id must be a positive integer, not ${match[1]}`,
        });
      }
      if (match[2] === 'repos') {
        const repositories = await syncProgressView(table, installationId);
        return repositories.length > 0
          ? jsonResponse(200, { installationId, repositories })
          : jsonResponse(404, {
              error: `no repositories recorded for installation ${installationId}`,
            });
      }
      const weeksParam = event.queryStringParameters?.weeks ?? '4';
      const weeks = Number(weeksParam);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52) {
        return jsonResponse(400, {
          error: `weeks must be an integer from 1 to 52, not ${weeksParam}`,
        });
      }
      const installation = await getInstallation(table, installationId);
      return installation
        ? jsonResponse(
            200,
            await weeklyMetricsView(table, installation, { weeks, now: new Date() }),
          )
        : jsonResponse(404, { error: `no installation ${installationId}` });
    }
    return jsonResponse(404, { error: `no route ${route}` });
  } catch (error) {
    logger.error('status request failed', { route, error: error as Error });
    return jsonResponse(500, { error: 'internal error' });
  }
}

export const handler = middy(handleStatusRequest).use(injectLambdaContext(logger));
