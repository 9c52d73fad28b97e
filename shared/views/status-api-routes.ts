import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotFoundError } from '../errors.ts';
import { jsonResponse } from '../http/json-response.ts';
import { integerParameter } from '../http/parameters.ts';
import { getInstallation } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';
import { installationsView } from './installations-view.ts';
import { syncProgressView } from './sync-progress-view.ts';
import { weeklyMetricsView } from './weekly-metrics-view.ts';

type Event = APIGatewayProxyEventV2;
type StatusRoute = Route<Event, APIGatewayProxyStructuredResultV2>;

const installationIdOf = (event: Event) =>
  integerParameter('installation id', event.pathParameters?.installationId, { min: 1 });

/** The operators' status API: read-only views of what Flowmeter stored, as JSON. */
export function statusApiRoutes(table: TableRef): StatusRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/installations',
      handler: async () => jsonResponse(200, { installations: await installationsView(table) }),
    },
    {
      method: 'GET',
      path: '/api/installations/{installationId}/repos',
      handler: async (event: Event) => {
        const installationId = installationIdOf(event);
        const repositories = await syncProgressView(table, installationId);
        if (repositories.length === 0)
          throw new NotFoundError(`no repositories recorded for installation ${installationId}`);
        return jsonResponse(200, { installationId, repositories });
      },
    },
    {
      method: 'GET',
      path: '/api/installations/{installationId}/metrics/weekly',
      handler: async (event: Event) => {
        const installationId = installationIdOf(event);
        const weeks = integerParameter('weeks', event.queryStringParameters?.weeks ?? '4', {
          min: 1,
          max: 52,
        });
        const installation = await getInstallation(table, installationId);
        if (!installation) throw new NotFoundError(`no installation ${installationId}`);
        const view = await weeklyMetricsView(table, installation, { weeks, now: new Date() });
        return jsonResponse(200, view);
      },
    },
  ];
}
