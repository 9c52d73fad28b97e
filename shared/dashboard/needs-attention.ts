import { effectiveAgreements } from '../metrics/agreements.ts';
import { nudgeDue } from '../metrics/nudge-day.ts';
import type { TeamDirectory } from '../metrics/team-attribution.ts';
import { waitingList, waitingRules } from '../metrics/waiting-list.ts';
import { storedAgreements } from '../store/agreements.ts';
import {
  type InstallationRecord,
  installationTimeZone,
  listRepositories,
} from '../store/installations.ts';
import { nudgeCalendars, readNudgeTeam } from '../store/nudge-settings.ts';
import { readOpenPullRequests } from '../store/open-pull-requests.ts';
import { weekPullRequests } from '../store/pull-requests.ts';
import { escapeHtml } from '../views/format.ts';
import { reasonHeadings, waitingDetail } from '../views/waiting-words.ts';
import { maySeeRepository, type RepositoryAccess } from './access.ts';
import { table } from './pages/layout.ts';
import type { DashboardDependencies } from './person-session.ts';

/**
 * "Needs attention" on the installation's page and a team's: what is
 * waiting now, as the team's morning nudge lists it (`waiting-list.ts`,
 * since the last working day at this hour), of the repositories the person
 * sees only; authors named only where per-person figures are on.
 */
export async function needsAttentionSection(
  deps: DashboardDependencies,
  context: { installation: InstallationRecord; access: RepositoryAccess },
  team?: { teamId: number; directory: TeamDirectory },
): Promise<string> {
  const { installation } = context;
  const id = installation.installationId;
  const now = deps.now();
  const [open, repositories, nudgeTeam] = await Promise.all([
    readOpenPullRequests(deps.table, id),
    listRepositories(deps.table, id),
    team ? readNudgeTeam(deps.table, id, team.teamId) : undefined,
  ]);
  const zone =
    installation.teamTimeZones?.[String(team?.teamId)] ?? installationTimeZone(installation);
  const calendars = nudgeCalendars(nudgeTeam, installation, zone);
  const { since } = nudgeDue(now, 0, zone, calendars.days, {
    anyHour: true,
    anyDay: true,
  }) as { since: Date };
  const shown = new Set(
    repositories
      .filter((repo) => repo.active && maySeeRepository(context.access, repo.repositoryId))
      .map((repo) => repo.repositoryId),
  );
  const mine = <T extends { repositoryId: number }>(items: readonly T[]) =>
    items.filter((item) => shown.has(item.repositoryId));
  const record = installation as typeof installation & Record<string, unknown>;
  const items = waitingList({
    open: { pullRequests: mine(open.pullRequests), requests: mine(open.requests) },
    recent: mine(await weekPullRequests(deps.table, id, { start: since, end: now })),
    window: { start: since, end: now },
    rules: waitingRules(
      effectiveAgreements(nudgeTeam?.agreements, storedAgreements(record)),
      nudgeTeam?.nudge?.idleDays,
    ),
    calendar: calendars.counting,
    team,
  });
  // The link names the PR, not its repository: the page's repository links keep their names to themselves.
  const rows = items.map((item) => [
    escapeHtml(item.repositoryFullName),
    `<a href="${escapeHtml(`${deps.signIn.webUrl.replace(/\/+$/, '')}/${item.repositoryFullName}/pull/${item.number}`)}">${escapeHtml(`#${item.number} ${item.title}`)}</a>${installation.showAuthors === true ? escapeHtml(` by ${item.authorLogin}`) : ''}`,
    escapeHtml(reasonHeadings[item.reason]),
    escapeHtml(waitingDetail(item)),
  ]);
  const body =
    rows.length === 0
      ? '<p>Nothing is waiting.</p>'
      : table(
          [
            { title: 'Repository' },
            { title: 'Pull request' },
            { title: 'Why' },
            { title: 'How long' },
          ],
          rows,
          'Pull requests waiting now, longest first',
        );
  return `<section aria-labelledby="needs-attention"><h2 id="needs-attention">Needs attention</h2>${body}</section>`;
}
