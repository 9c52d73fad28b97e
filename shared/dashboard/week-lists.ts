import { mapWithConcurrency } from '../concurrency.ts';
import type { Window } from '../metrics/flow-metrics.ts';
import { isIncident } from '../metrics/production-history.ts';
import type { RepositoryHistory } from '../metrics/rollup.ts';
import { pullRequestTeams, type TeamDirectory } from '../metrics/team-attribution.ts';
import { changeTeams, teamHistories } from '../metrics/team-rows.ts';
import { finishedWeek, shiftWeek, weekBounds } from '../metrics/time-zone.ts';
import { isoWeek } from '../metrics/weeks.ts';
import { deliveryHistories, tableSource } from '../rollup/delivery-histories.ts';
import { repositoryIncidents } from '../store/delivery-history.ts';
import { deliveryRules, installationTimeZone, listRepositories } from '../store/installations.ts';
import { weekPullRequests } from '../store/pull-requests.ts';
import { teamTimeZone } from '../store/team-settings.ts';
import { maySeeFigure, maySeeRepository } from './access.ts';
import { csvOf } from './csv.ts';
import {
  type InstallationContext,
  type InstallationPage,
  visibleTeams,
} from './installation-pages.ts';
import { mergedPullRequests, pullRequestColumns } from './merged-pull-requests.ts';
import { messagePage, notFoundPage } from './pages/installations-page.ts';
import {
  aiAssistedPage,
  deploymentsPage,
  incidentsPage,
  type WeekListKind,
  weekListKinds,
  weekPage,
} from './pages/week-list-pages.ts';
import type { DashboardDependencies } from './person-session.ts';
import { html } from './responses.ts';
import {
  deploymentColumns,
  incidentColumns,
  weekDeployments,
  weekIncidents,
} from './week-deliveries.ts';

/**
 * What each of a week's figures was computed from, listed — merged pull
 * requests, production deployments, incidents, AI-assisted pull requests —
 * as a page per week and as CSV over a range of weeks. Each list reads what
 * the rollup reads and decides with the rollup's own functions; it shows
 * the rows of repositories the person sees, saying when any were left out,
 * and with `?team=<id>` (a team the person sees) that team's share.
 */

/** A team's share of the lists: its directory, to attribute each pull request and shipped change, and the zone its weeks are cut in. */
interface TeamShare {
  teamId: number;
  directory: TeamDirectory;
  timeZone: string;
}

/** The zone a list's weeks are cut in: the team's (its figures' own), else the installation's. */
const listTimeZone = (context: InstallationContext, team: TeamShare | undefined) =>
  team?.timeZone ?? installationTimeZone(context.installation);

/** The team `?team=<id>` asks for, none without one, or null when it is no team the person sees. */
async function requestedTeam(
  deps: DashboardDependencies,
  context: InstallationContext,
  query: URLSearchParams,
): Promise<{ team: TeamShare | undefined } | null> {
  const team = query.get('team');
  if (team === null) return { team: undefined };
  if (!/^\d+$/.test(team)) return null;
  const teams = await visibleTeams(deps, context, Number(team));
  const shown = teams.teams.find((candidate) => candidate.teamId === Number(team));
  if (!shown) return null;
  return {
    team: {
      teamId: shown.teamId,
      directory: teams.directory,
      timeZone: teamTimeZone(shown, context.installation),
    },
  };
}

/** The rows of repositories the person sees. */
const seenBy = <Row extends { repositoryId: number }>(
  context: InstallationContext,
  rows: readonly Row[],
) => rows.filter((row) => maySeeRepository(context.access, row.repositoryId));

/**
 * The rows a person sees of a list, and whether the list may leave some
 * out: whether some repository of the installation is not theirs to see —
 * not whether this week's rows held one, which would tell them when the
 * repositories they may not see were busy.
 */
async function visibleRows<Row extends { repositoryId: number }>(
  deps: DashboardDependencies,
  context: InstallationContext,
  rows: readonly Row[],
) {
  const ids = (await listRepositories(deps.table, context.installation.installationId)).map(
    (repository) => repository.repositoryId,
  );
  return {
    visible: seenBy(context, rows),
    withheld: !maySeeFigure(context.access, ids, ids),
  };
}

/** Pull requests merged in the window that the flow figures count, the team's only with one. */
async function mergedRows(
  deps: DashboardDependencies,
  context: InstallationContext,
  window: Window,
  team: TeamShare | undefined,
) {
  const week = await weekPullRequests(deps.table, context.installation.installationId, window);
  const ofTeam = team
    ? week.filter((pr) => pullRequestTeams(team.directory, pr).includes(team.teamId))
    : week;
  return mergedPullRequests(ofTeam, window, deps.signIn.webUrl);
}

/** The production histories the week's delivery figures come from (`deliveryHistories`), the team's share with one. */
async function histories(
  deps: DashboardDependencies,
  context: InstallationContext,
  window: Window,
  team: TeamShare | undefined,
): Promise<RepositoryHistory[]> {
  const all = await deliveryHistories(
    tableSource(deps.table, context.installation.installationId),
    context.installation,
    window,
    deps.now(),
  );
  return team
    ? teamHistories(all, (change) => changeTeams(team.directory, change).includes(team.teamId))
    : all;
}

/** Each week's deployments, from one read of the histories around them all. */
async function deploymentRows(
  deps: DashboardDependencies,
  context: InstallationContext,
  windows: readonly Window[],
  team: TeamShare | undefined,
) {
  const read = await histories(deps, context, spanning(windows), team);
  return windows.flatMap((window) => weekDeployments(read, window, deps.signIn.webUrl));
}

/** The incidents opened in the window, as the installation's rules count them; a team's, those that blamed its deployments. */
async function incidentRows(
  deps: DashboardDependencies,
  context: InstallationContext,
  window: Window,
  team: TeamShare | undefined,
) {
  const { installationId } = context.installation;
  const { labelPattern } = deliveryRules(context.installation).incidentRules;
  const [read, repositories] = await Promise.all([
    histories(deps, context, window, team),
    listRepositories(deps.table, installationId),
  ]);
  const stored = await mapWithConcurrency(repositories, 4, async (repository) =>
    (await repositoryIncidents(deps.table, installationId, repository.repositoryId)).map(
      (incident) => ({
        repositoryId: repository.repositoryId,
        repository: repository.fullName,
        incident,
      }),
    ),
  );
  const incidents = stored
    .flat()
    .filter(({ incident }) => isIncident(incident.labels, labelPattern));
  const rows = weekIncidents(incidents, read, window, deps.signIn.webUrl);
  return team ? rows.filter((row) => row.blamed !== null) : rows;
}

const weekPattern = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
/** An ISO week that exists: `2026-W53` does not (2026 has 52), and is not read as 2027-W01. */
const isWeek = (week: string) =>
  weekPattern.test(week) && isoWeek(weekBounds(week, 'UTC').start) === week;
/** Weeks shown at most in one CSV: half a year. */
const csvMaxWeeks = 26;

/** One window from the first's start to the last's end. */
const spanning = (windows: readonly Window[]): Window => ({
  start: windows[0]?.start ?? new Date(0),
  end: windows.at(-1)?.end ?? new Date(0),
});

/** One week's list as a page: `/installations/{id}/weeks/{week}[/deployments|/incidents|/ai-assisted]`. */
function weekListPage(kind: WeekListKind): InstallationPage {
  return async (request, deps, context) => {
    const week = request.parameters.week ?? '';
    const viewer = context.person.viewer;
    if (!isWeek(week)) return html(404, notFoundPage(viewer));
    const requested = await requestedTeam(deps, context, request.query);
    if (!requested) return html(404, notFoundPage(viewer));
    const { team } = requested;
    const { installation } = context;
    const timeZone = listTimeZone(context, team);
    const window = weekBounds(week, timeZone);
    // A week still to come has nothing to list yet.
    if (window.start > deps.now()) return html(404, notFoundPage(viewer));
    const options = {
      showAuthors: installation.showAuthors === true,
      team: team?.teamId,
      rules: deliveryRules(installation),
      timeZone,
    };
    switch (kind) {
      case 'pull-requests': {
        const rows = await visibleRows(
          deps,
          context,
          await mergedRows(deps, context, window, team),
        );
        return html(
          200,
          weekPage(installation, week, rows.visible, viewer, { ...options, ...rows }),
        );
      }
      case 'ai-assisted': {
        const merged = await mergedRows(deps, context, window, team);
        const rows = await visibleRows(deps, context, merged);
        return html(
          200,
          aiAssistedPage(installation, week, rows.visible, viewer, { ...options, ...rows }),
        );
      }
      case 'deployments': {
        const rows = await visibleRows(
          deps,
          context,
          await deploymentRows(deps, context, [window], team),
        );
        return html(
          200,
          deploymentsPage(installation, week, rows.visible, viewer, { ...options, ...rows }),
        );
      }
      case 'incidents': {
        const rows = await visibleRows(
          deps,
          context,
          await incidentRows(deps, context, window, team),
        );
        return html(
          200,
          incidentsPage(installation, week, rows.visible, viewer, { ...options, ...rows }),
        );
      }
    }
  };
}

export const mergedListPage = weekListPage('pull-requests');
export const deploymentListPage = weekListPage('deployments');
export const incidentListPage = weekListPage('incidents');
export const aiAssistedListPage = weekListPage('ai-assisted');

/**
 * A list over `from` to `to` as CSV (`?kind=`, pull requests unless said):
 * the same rows its week pages show, written by `csv.ts`.
 */
export const csvDownload: InstallationPage = async (request, deps, context) => {
  const { installation } = context;
  const viewer = context.person.viewer;
  const requested = await requestedTeam(deps, context, request.query);
  if (!requested) return html(404, notFoundPage(viewer));
  const range = weekRange(request.query, deps.now(), listTimeZone(context, requested.team));
  if (typeof range === 'string') return html(400, messagePage('Bad request', range, viewer));
  const kind = request.query.get('kind') ?? 'pull-requests';
  if (!isListKind(kind))
    return html(
      400,
      messagePage('Bad request', `kind must be one of ${weekListKinds.join(', ')}.`, viewer),
    );
  const named = kind === 'pull-requests' ? '' : `${kind}-`;
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${installation.accountLogin}-${named}${range.from}-${range.to}.csv"`,
    },
    body: await csvBody(kind, deps, context, range, requested.team),
  };
};

const isListKind = (kind: string): kind is WeekListKind =>
  (weekListKinds as readonly string[]).includes(kind);

/** A list's rows over the range, each kind with its own columns; an author or creator only where per-person figures are on. */
async function csvBody(
  kind: WeekListKind,
  deps: DashboardDependencies,
  context: InstallationContext,
  range: { windows: Window[]; window: Window },
  team: TeamShare | undefined,
): Promise<string> {
  const showAuthors = context.installation.showAuthors === true;
  switch (kind) {
    case 'pull-requests':
      return csvOf(
        seenBy(context, await mergedRows(deps, context, range.window, team)),
        pullRequestColumns(showAuthors),
      );
    case 'ai-assisted':
      return csvOf(
        seenBy(context, await mergedRows(deps, context, range.window, team)).filter(
          (pr) => pr.aiSignal !== null,
        ),
        [...pullRequestColumns(showAuthors), ['ai_signal', (pr) => pr.aiSignal]],
      );
    case 'deployments':
      return csvOf(
        seenBy(context, await deploymentRows(deps, context, range.windows, team)),
        deploymentColumns(showAuthors),
      );
    case 'incidents':
      return csvOf(
        seenBy(context, await incidentRows(deps, context, range.window, team)),
        incidentColumns,
      );
  }
}

/** `from` and `to` ISO weeks (default: the last four finished weeks) as each week's window and one spanning them, or why not. */
function weekRange(
  query: URLSearchParams,
  now: Date,
  timeZone: string,
): { from: string; to: string; windows: Window[]; window: Window } | string {
  const to = query.get('to') ?? finishedWeek(now, timeZone);
  const from = query.get('from') ?? shiftWeek(to, -3);
  if (!isWeek(from) || !isWeek(to))
    return 'from and to must be ISO weeks that exist, such as 2026-W47.';
  const start = weekBounds(from, timeZone).start;
  const last = weekBounds(to, timeZone);
  if (last.start > now) return `${to} has not begun yet.`;
  const end = last.end;
  const count = Math.round((end.getTime() - start.getTime()) / (7 * 86_400_000));
  if (count < 1 || count > csvMaxWeeks)
    return `from must not be after to, and at most ${csvMaxWeeks} weeks apart.`;
  const windows = Array.from({ length: count }, (_, index) =>
    weekBounds(shiftWeek(from, index), timeZone),
  );
  return { from, to, windows, window: { start, end } };
}
