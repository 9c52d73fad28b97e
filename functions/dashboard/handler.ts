import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { handleDashboard } from '#shared/dashboard/dashboard.ts';
import { dashboardSecretSource } from '#shared/dashboard/dashboard-secret.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { dashboardFunction } from './function.ts';

const logger = functionLogger(dashboardFunction);
const config = parseEnv(dashboardFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const secret = dashboardSecretSource(config);
const callbackUrl = new URL('/login/callback', config.DASHBOARD_URL).href;

/** Payload v2 in, the dashboard's request and response out; a failure is a plain 500 page, the details logged. */
async function dashboard(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const { clientId, clientSecret, sessionKey } = await secret();
    const body = event.body
      ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8')
      : '';
    const response = await handleDashboard(
      {
        method: event.requestContext.http.method,
        path: event.rawPath,
        query: new URLSearchParams(event.rawQueryString),
        cookies: event.cookies,
        form: new URLSearchParams(body),
      },
      {
        table,
        signIn: {
          webUrl: config.GITHUB_WEB_URL,
          apiUrl: config.GITHUB_API_URL,
          clientId,
          clientSecret,
          callbackUrl,
        },
        sessionKey,
        now: () => new Date(),
      },
    );
    return {
      statusCode: response.status,
      headers: response.headers,
      cookies: response.cookies,
      body: response.body,
    };
  } catch (error) {
    logger.error('dashboard request failed', error as Error);
    return {
      statusCode: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      body: 'Something went wrong on our side. Please try again in a minute.',
    };
  }
}

export const handler = middy(dashboard).use(injectLambdaContext(logger, { resetKeys: true }));
