import type { DeliveryRules } from '../../store/installations.ts';
import { escapeHtml } from '../../views/format.ts';
import type { WeeklyMetricsView } from '../../views/weekly-metrics-view.ts';
import { teamsOverlap, trendWeeks, weekFigures } from './installation-page.ts';
import { page, type Viewer, withheldNotice } from './layout.ts';

/** A repository as a team's page links it. */
export interface TouchedRepository {
  id: number;
  fullName: string;
}

/**
 * The repositories a team's shown weeks were computed from — its pull
 * requests', deployments' and reviews' (the rows' `repositoryIds`) — among
 * `visible`, those the person sees, by name. A row the person may not see
 * is not in the view, so its repositories are not named here either.
 */
export function repositoriesTouched(
  view: WeeklyMetricsView,
  teamId: number,
  visible: readonly TouchedRepository[],
): TouchedRepository[] {
  const touched = new Set(
    view.weeks.flatMap((week) =>
      week.teams.filter((row) => row.id === teamId).flatMap((row) => row.repositoryIds ?? []),
    ),
  );
  return visible
    .filter((repository) => touched.has(repository.id))
    .sort((a, b) => a.fullName.localeCompare(b.fullName));
}

/** A GitHub team's page: its members now, the repositories it touched, its week's pull requests and its weeks. */
export function teamPageHtml(
  view: WeeklyMetricsView,
  team: { teamId: number; name: string; members: readonly { login: string }[] },
  repositories: readonly TouchedRepository[],
  viewer: Viewer,
  options: {
    showAuthors: boolean;
    delivery: DeliveryRules;
    clockWords: string;
    /** The "Needs attention" section (`needs-attention.ts`). */
    attention?: string;
  },
): string {
  const base = `/installations/${view.installationId}`;
  const week = view.weeks[0]?.week ?? '';
  const members = team.members.map((member) => escapeHtml(member.login)).join(', ');
  const touched =
    repositories.length === 0
      ? '<p>Repositories: none in these weeks.</p>'
      : `<h2>Repositories</h2><p class="muted">Those its pull requests, deployments and reviews of the last ${trendWeeks} weeks were in.</p><ul data-team-repositories>${repositories
          .map(
            (repository) =>
              `<li><a href="${base}/repositories/${repository.id}">${escapeHtml(repository.fullName)}</a></li>`,
          )
          .join('')}</ul>`;
  const intro = `<p>Members: ${members || 'none'}.</p>${touched}<p><a href="${base}/weeks/${week}?team=${team.teamId}">Its pull requests merged in ${escapeHtml(week)}</a> · <a href="${base}/pull-requests.csv?team=${team.teamId}">as CSV</a></p><p class="muted">${escapeHtml(teamsOverlap)}</p>`;
  const withheld = view.weeks.some((shown) => shown.withheld);
  return page(
    team.name,
    intro +
      (withheld ? withheldNotice(view.accountLogin) : '') +
      (options.attention ?? '') +
      weekFigures(view, { ...options, team: team.teamId }),
    viewer,
  );
}
