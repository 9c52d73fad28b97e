import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouter from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { NotFoundError } from '#shared/errors.ts';
import { httpErrors } from '#shared/http/http-errors.ts';
import {
  confirmPage,
  donePage,
  errorPage,
  unsubscribeLink,
} from '#shared/notify/unsubscribe-page.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { unsubscribe } from '#shared/store/settings.ts';
import { unsubscribeFunction } from './function.ts';

const logger = functionLogger(unsubscribeFunction);
const config = parseEnv(unsubscribeFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };

const confirm = async (event: APIGatewayProxyEventV2) =>
  // A malformed link is told so before anyone presses the button.
  confirmPage(unsubscribeLink(event));
const remove = async (event: APIGatewayProxyEventV2) => {
  const { installationId, token, teamId } = unsubscribeLink(event);
  const removed = await unsubscribe(table, installationId, token, teamId);
  // The address is personal data: log that it happened, not who.
  logger.info('unsubscribe', { installationId, teamId, removed: removed !== undefined });
  return donePage({ teamId });
};

/**
 * The link in every email's footer and List-Unsubscribe header (a team digest's names the team).
 * GET asks; POST (the button, or a mail client's RFC 8058 one-click request) removes the
 * recipient. An unknown token answers like a used one, so the link can be clicked twice.
 */
const routes = httpRouter<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
  routes: unsubscribeFunction.trigger.routes.map(({ method, path }) => ({
    method,
    path,
    handler: method === 'GET' ? confirm : remove,
  })),
  notFoundResponse: () => {
    throw new NotFoundError('malformed unsubscribe link');
  },
});

export const handler = middy(routes)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors(logger, { fallbackMessage: 'internal error', render: errorPage }));
