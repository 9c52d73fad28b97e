import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouter from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { slackUrlKeySource } from '#shared/aws/slack-url-key.ts';
import { parseEnv } from '#shared/config.ts';
import { dashboardRoutes } from '#shared/dashboard/dashboard-routes.ts';
import { dashboardSecretSource } from '#shared/dashboard/dashboard-secret.ts';
import { httpErrors } from '#shared/http/http-errors.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { type HolidaysJob, holidaysJobMessage } from '#shared/queue/holidays-job.ts';
import { sendMessages } from '#shared/queue/send-batch.ts';
import { dashboardFunction } from './function.ts';

const logger = functionLogger(dashboardFunction);
const config = parseEnv(dashboardFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const secret = dashboardSecretSource(config);
const callbackUrl = new URL('/login/callback', config.DASHBOARD_URL).href;
const slackKey = slackUrlKeySource(config);
const sqs = createSqsClient();

const dependencies = async () => {
  const { clientId, clientSecret, sessionKey } = await secret();
  return {
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
    slackKey,
    // Only the local stack's key is a phrase in the environment: there, the local Slack sink is a webhook.
    allowLoopbackSlack: !config.SLACK_KEY_SECRET_ARN,
    resolveHolidaysLater: (job: HolidaysJob) =>
      sendMessages(sqs, config.HOLIDAYS_QUEUE_URL, [holidaysJobMessage(job)]),
  };
};

/** Pages routed by middy's router (every path has one); a failure is a plain 500 page, the details logged. */
const routes = httpRouter<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(
  dashboardRoutes(dependencies),
);

const failurePage = (statusCode: number, message: string) => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body: message,
});

export const handler = middy(routes)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(
    httpErrors(logger, {
      fallbackMessage: 'Something went wrong on our side. Please try again in a minute.',
      render: failurePage,
    }),
  );
