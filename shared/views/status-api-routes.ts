import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotFoundError } from '../errors.ts';
import { jsonResponse } from '../http/json-response.ts';
import { integerParameter } from '../http/parameters.ts';
import { getInstallation, installationTimeZone } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';
import { describeHistory, historyProgress } from './history-progress.ts';
import { installationsView } from './installations-view.ts';
import { syncProgressView } from './sync-progress-view.ts';
import { type WeeklyMetricsView, weeklyMetricsView } from './weekly-metrics-view.ts';

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
        // How far back the installation's history reaches so far, in figures and in words.
        const history = historyProgress(repositories);
        const timeZone = installationTimeZone((await getInstallation(table, installationId)) ?? {});
        const summary = describeHistory(history, timeZone);
        return jsonResponse(200, {
          installationId,
          history: { ...history, summary },
          repositories,
        });
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
        const read = await weeklyMetricsView(table, installation, { weeks, now: new Date() });
        // Per-person rows only where the organisation turned them on, as on the dashboard.
        const view =
          installation.showAuthors === true
            ? read
            : { ...read, weeks: read.weeks.map((week) => ({ ...week, authors: [] })) };
        return withRenamedTeamField(jsonResponse(200, view), view);
      },
    },
  ];
}

/** When `team` stopped meaning the organisation (RFC 9745's `@` epoch seconds), and when its copy goes. */
const teamFieldDeprecated = Date.parse('2026-12-01T00:00:00Z') / 1000;
const teamFieldSunset = 'Mon, 01 Mar 2027 00:00:00 GMT';

/**
 * "Team" now means a GitHub team only: each week's organisation figures are
 * `organisation`. Clients written before read `team`, so until the sunset
 * each week carries a copy under the old name, and every answer says so in
 * the `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) headers.
 */
function withRenamedTeamField(
  response: APIGatewayProxyStructuredResultV2,
  view: WeeklyMetricsView,
): APIGatewayProxyStructuredResultV2 {
  const weeks = view.weeks.map((week) => ({ ...week, team: week.organisation }));
  return {
    ...response,
    headers: {
      ...response.headers,
      deprecation: `@${teamFieldDeprecated}`,
      sunset: teamFieldSunset,
    },
    body: JSON.stringify({ ...view, weeks }),
  };
}
