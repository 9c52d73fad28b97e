import { TeamDirectory } from '../metrics/team-attribution.ts';
import {
  deliveryRules,
  type InstallationRecord,
  installationTimeZone,
} from '../store/installations.ts';
import { teamTimeZone } from '../store/team-settings.ts';
import { readTeams } from '../store/teams.ts';
import { type CountTime, shownClock } from '../store/working-calendars.ts';
import { describeHistory, historyProgress } from '../views/history-progress.ts';
import { type RepositoryProgress, syncProgressView } from '../views/sync-progress-view.ts';
import { type TeamFocus, weeklyMetricsView } from '../views/weekly-metrics-view.ts';
import {
  maySeeRepository,
  maySeeTeam,
  type RepositoryAccess,
  rowFilter,
  withoutCopilot,
} from './access.ts';
import type { ListedInstallation } from './github-person.ts';
import { needsAttentionSection } from './needs-attention.ts';
import { installationPage, repositoryState, trendWeeks } from './pages/installation-page.ts';
import { notFoundPage } from './pages/installations-page.ts';
import { scopePage } from './pages/scope-pages.ts';
import { repositoriesTouched, teamPageHtml } from './pages/team-page.ts';
import type { Person } from './person-access.ts';
import type { DashboardDependencies } from './person-session.ts';
import { type DashboardRequest, type DashboardResponse, html } from './responses.ts';

/** One installation the person may see, and what of it. */
export interface InstallationContext {
  person: Person;
  listed: ListedInstallation;
  installation: InstallationRecord;
  access: RepositoryAccess;
}

export type InstallationPage = (
  request: DashboardRequest,
  deps: DashboardDependencies,
  context: InstallationContext,
) => Promise<DashboardResponse>;

/** The repositories the person sees, with their syncs. */
async function visibleProgress(deps: DashboardDependencies, context: InstallationContext) {
  const repositories = await syncProgressView(deps.table, context.installation.installationId);
  return {
    all: repositories,
    // What GitHub answered the sync, and what it cost, is the operators' and owners' to read.
    visible: repositories
      .filter((repo) => maySeeRepository(context.access, repo.id))
      .map((repo) => (context.access.owner ? repo : withoutSyncDetails(repo))),
  };
}

/**
 * The installation's GitHub teams the person sees (GitHub's team privacy),
 * with who is in each now. With `focus`, that team alone, if they see it,
 * and a directory of every team but only the spells of it and the teams
 * under it: all its page and its lists attribute work with.
 */
export async function visibleTeams(
  deps: DashboardDependencies,
  context: InstallationContext,
  focus?: number,
) {
  const { teams, spells } = await readTeams(
    deps.table,
    context.installation.installationId,
    focus === undefined ? 'every team' : { teamAndItsChildren: focus },
  );
  const membersNow = (teamId: number) =>
    spells.filter((spell) => spell.teamId === teamId && spell.leftAt === null);
  const shown = teams.filter(
    (team) =>
      team.deletedAt === null &&
      (focus === undefined || team.teamId === focus) &&
      maySeeTeam(
        context.access,
        team,
        membersNow(team.teamId).some((spell) => spell.userId === context.person.session.userId),
      ),
  );
  return {
    teams: shown.map((team) => ({ ...team, members: membersNow(team.teamId) })),
    sees: (teamId: number) => shown.some((team) => team.teamId === teamId),
    directory: new TeamDirectory(teams, spells),
  };
}

/** The repositories (with their syncs) and the teams the person sees (`focus`: `visibleTeams`), read once for a page. */
async function visibleScopes(
  deps: DashboardDependencies,
  context: InstallationContext,
  focus?: number,
) {
  const [progress, teams] = await Promise.all([
    visibleProgress(deps, context),
    visibleTeams(deps, context, focus),
  ]);
  return { ...progress, teams };
}

/** The installation's weeks as the person may see them (the view's options: `weeklyMetricsView`). */
async function visibleWeeks(
  deps: DashboardDependencies,
  context: InstallationContext,
  scopes: Awaited<ReturnType<typeof visibleScopes>>,
  options: { clock: CountTime; rowsOf: 'every week' | 'latest week'; team?: TeamFocus },
) {
  const view = await weeklyMetricsView(deps.table, context.installation, {
    weeks: trendWeeks,
    now: deps.now(),
    ...options,
    mayShow: rowFilter(
      context.access,
      scopes.all.map((repo) => repo.id),
      scopes.teams.sees,
    ),
  });
  return context.access.owner ? view : withoutCopilot(view);
}

/** The clock the organisation's figures are shown on (its choice), and its words. */
const organisationClock = ({ installation }: InstallationContext) =>
  shownClock(installation, installationTimeZone(installation));

export const overviewPage: InstallationPage = async (_request, deps, context) => {
  const scopes = await visibleScopes(deps, context);
  const clock = organisationClock(context);
  const view = await visibleWeeks(deps, context, scopes, {
    clock: clock.countTime,
    rowsOf: 'latest week',
  });
  return html(
    200,
    installationPage(view, scopes.visible, context.person.viewer, {
      settings: context.access.owner,
      showAuthors: context.installation.showAuthors === true,
      delivery: deliveryRules(context.installation),
      teams: scopes.teams.teams,
      teamsAccess: context.installation.teams?.access,
      clockWords: clock.words,
      attention: await needsAttentionSection(deps, context),
    }),
  );
};

/** A GitHub team the person sees: its members now, the repositories it touched that they see, its weeks; any other team is a 404. */
export const teamPage: InstallationPage = async (request, deps, context) => {
  const id = Number(request.parameters.id);
  const viewer = context.person.viewer;
  const scopes = await visibleScopes(deps, context, id);
  const team = scopes.teams.teams.find((shown) => shown.teamId === id);
  if (!team) return html(404, notFoundPage(viewer));
  // The team's weeks, in its zone and on its own clock (its choice, else the organisation's).
  const timeZone = teamTimeZone(team, context.installation);
  const clock = shownClock(team.settings, timeZone, context.installation);
  const showAuthors = context.installation.showAuthors === true;
  const view = await visibleWeeks(deps, context, scopes, {
    clock: clock.countTime,
    rowsOf: 'latest week',
    team: {
      teamId: id,
      timeZone,
      memberIds: new Set(showAuthors ? team.members.map((member) => member.userId) : []),
    },
  });
  return html(
    200,
    teamPageHtml(view, team, repositoriesTouched(view, id, scopes.visible), viewer, {
      showAuthors,
      delivery: deliveryRules(context.installation),
      clockWords: clock.words,
      attention: await needsAttentionSection(deps, context, {
        teamId: id,
        directory: scopes.teams.directory,
      }),
    }),
  );
};

export const progressJson: InstallationPage = async (_request, deps, context) => {
  const timeZone = installationTimeZone(context.installation);
  const { visible } = await visibleProgress(deps, context);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      history: describeHistory(historyProgress(visible), timeZone),
      repositories: visible.map((repo) => ({ ...repo, state: repositoryState(repo, timeZone) })),
    }),
  };
};

/** A repository's page (one the person sees) or an author's (where shown, and only their visible rows). */
export function scopeRoute(scope: 'repositories' | 'authors'): InstallationPage {
  return async (request, deps, context) => {
    const id = Number(request.parameters.id);
    const viewer = context.person.viewer;
    const shown =
      scope === 'repositories'
        ? maySeeRepository(context.access, id)
        : context.installation.showAuthors === true;
    if (!shown) return html(404, notFoundPage(viewer));
    const view = await visibleWeeks(deps, context, await visibleScopes(deps, context), {
      clock: organisationClock(context).countTime,
      rowsOf: 'every week',
    });
    const body = scopePage(view, scope, id, viewer);
    return body ? html(200, body) : html(404, notFoundPage(viewer));
  };
}

/** A repository's sync as anyone who may see the repository reads it: no error text, note or GitHub cost. */
function withoutSyncDetails(repo: RepositoryProgress): RepositoryProgress {
  return { ...repo, lastError: null, note: null, githubRequests: 0, githubPoints: 0 };
}
