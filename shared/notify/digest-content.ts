import { type Clock, calendarClock } from '../metrics/clock.ts';
import { round2 } from '../metrics/distribution.ts';
import { countsInFlowFigures, cyclePhases, type Window, within } from '../metrics/flow-metrics.ts';
import type { StoredPullRequest } from '../metrics/pull-request.ts';
import {
  type MembershipSpell,
  pullRequestTeams,
  TeamDirectory,
  type TeamRecord,
} from '../metrics/team-attribution.ts';
import { weekBounds } from '../metrics/time-zone.ts';
import type { CopilotAccessRecord } from '../store/copilot-usage.ts';
import {
  type DeliveryRules,
  deliveryRules,
  type InstallationRecord,
  installationTimeZone,
} from '../store/installations.ts';
import { weekPullRequests } from '../store/pull-requests.ts';
import type { TableRef } from '../store/table.ts';
import { teamTimeZone } from '../store/team-settings.ts';
import { readTeams } from '../store/teams.ts';
import { type CountTime, shownClock } from '../store/working-calendars.ts';
import { type WeekView, weeklyMetricsView } from '../views/weekly-metrics-view.ts';

export interface SlowPullRequest {
  repositoryFullName: string;
  number: number;
  title: string;
  authorLogin: string;
  cycleHours: number;
  url: string;
}

/** Everything a weekly digest shows, read once and rendered per recipient. */
export interface DigestContent {
  installationId: number;
  accountLogin: string;
  /** A team's digest: the team, and whether its members' own figures are shown (per-person figures on). */
  team?: { name: string; membersShown: boolean };
  week: string;
  timeZone: string;
  window: Window;
  /** The week as the metrics API shows it: organisation, headlines, repositories. */
  view: WeekView;
  /** Whether GitHub shows the organisation's Copilot usage (null: not asked yet). */
  copilot: CopilotAccessRecord | null;
  /** What counts as a deployment and an incident. */
  deliveryRules: DeliveryRules;
  /** This week and the ones before it, oldest first, for the trend chart. */
  history: { week: string; merged: number | null }[];
  slowest: SlowPullRequest[];
  /** The clock its durations are on, and the words that name it. */
  clock: { countTime: CountTime; words: string };
}

/** Weeks in the digest's "merged per week" chart. */
export const trendWeeks = 6;
/** Slowest merged PRs listed. */
export const slowestCount = 5;

/** The merged PRs of the week with the longest cycle time, slowest first. */
export function slowestPullRequests(
  pullRequests: readonly StoredPullRequest[],
  window: Window,
  githubWebUrl: string,
  count = slowestCount,
  clock: Clock = calendarClock,
): SlowPullRequest[] {
  return (
    pullRequests
      .filter(
        (pr): pr is StoredPullRequest & { mergedAt: string } =>
          countsInFlowFigures(pr) && within(pr.mergedAt, window),
      )
      .map((pr) => ({ pr, cycle: cyclePhases(pr, clock).cycle }))
      // Ties by repository and number, so the same week always lists the same PRs.
      .sort(
        (a, b) =>
          b.cycle - a.cycle ||
          a.pr.repositoryFullName.localeCompare(b.pr.repositoryFullName) ||
          a.pr.number - b.pr.number,
      )
      .slice(0, count)
      .map(({ pr, cycle }) => ({
        repositoryFullName: pr.repositoryFullName,
        number: pr.number,
        title: pr.title,
        authorLogin: pr.authorLogin,
        cycleHours: round2(cycle / 3_600_000),
        url: `${githubWebUrl.replace(/\/+$/, '')}/${pr.repositoryFullName}/pull/${pr.number}`,
      }))
  );
}

/**
 * Reads a week's digest: the stored rollup rows (the same view the metrics
 * API serves) and the week's PRs for the slowest list. With `team`, the
 * team's digest: its rows, in its zone's week, and its PRs
 * (team-attribution.ts says whose they are); its members' rows only when
 * the installation shows per-person figures.
 */
export async function loadDigestContent(
  table: TableRef,
  installation: InstallationRecord,
  week: string,
  githubWebUrl: string,
  teamId?: number,
): Promise<DigestContent> {
  const { installationId } = installation;
  const teams =
    teamId === undefined
      ? undefined
      : await readTeams(table, installationId, { teamAndItsChildren: teamId });
  const team = teams?.teams.find((stored) => stored.teamId === teamId);
  const directory = teams && new TeamDirectory(teams.teams, teams.spells);
  const timeZone = team ? teamTimeZone(team, installation) : installationTimeZone(installation);
  const window = weekBounds(week, timeZone);
  const clock = team
    ? shownClock(team.settings, timeZone, installation)
    : shownClock(installation, timeZone);
  const view = await weeklyMetricsView(table, installation, {
    weeks: trendWeeks,
    now: new Date(),
    through: week,
    clock: clock.countTime,
    rowsOf: 'latest week',
    ...(teams && team && directory
      ? {
          team: {
            teamId: team.teamId,
            timeZone,
            memberIds: new Set(
              installation.showAuthors ? membersDuring(directory, teams.spells, team, window) : [],
            ),
          },
        }
      : {}),
  });
  // The view holds `trendWeeks` weeks, newest (this one) first.
  const current = view.weeks[0] as WeekView;
  const pullRequests = (await weekPullRequests(table, installationId, window)).filter(
    (pr) => !directory || !team || pullRequestTeams(directory, pr).includes(team.teamId),
  );
  return {
    installationId,
    accountLogin: view.accountLogin,
    ...(team ? { team: { name: team.name, membersShown: installation.showAuthors === true } } : {}),
    week,
    timeZone: view.timeZone,
    window,
    view: current,
    copilot: view.copilot,
    deliveryRules: deliveryRules(installation),
    history: view.weeks
      .map((shown) => ({ week: shown.week, merged: shown.organisation?.merged ?? null }))
      .reverse(),
    slowest: slowestPullRequests(pullRequests, window, githubWebUrl, slowestCount, clock.measure),
    clock: { countTime: clock.countTime, words: clock.words },
  };
}

/** Who counted for the team at some time in the window: in it, or in a team nested in it. */
function membersDuring(
  directory: TeamDirectory,
  spells: readonly MembershipSpell[],
  team: TeamRecord,
  window: Window,
): number[] {
  return spells
    .filter((spell) => {
      const from = Math.max(Date.parse(spell.joinedAt), window.start.getTime());
      const to = spell.leftAt === null ? window.end.getTime() : Date.parse(spell.leftAt);
      return (
        from < Math.min(to, window.end.getTime()) &&
        directory.teamsOf(spell.userId, new Date(from).toISOString()).includes(team.teamId)
      );
    })
    .map((spell) => spell.userId);
}
