import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouter from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { NotFoundError } from '#shared/errors.ts';
import { httpErrors } from '#shared/http/http-errors.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { statusApiRoutes } from '#shared/views/status-api-routes.ts';
import { statusApiFunction } from './function.ts';

const logger = functionLogger(statusApiFunction);
const config = parseEnv(statusApiFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };

/** Read-only views for operators (IAM-authorised in AWS), routed by middy's router. */
const routes = httpRouter<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
  routes: statusApiRoutes(table),
  notFoundResponse: ({ method, path }) => {
    throw new NotFoundError(`no route ${method} ${path}`);
  },
});

export const handler = middy(routes)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors(logger, { fallbackMessage: 'internal error' }));
