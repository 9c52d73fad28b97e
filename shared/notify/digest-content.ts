import { round2 } from '../metrics/distribution.ts';
import { countsInFlowFigures, cyclePhases, type Window, within } from '../metrics/flow-metrics.ts';
import type { StoredPullRequest } from '../metrics/pull-request.ts';
import { weekBounds } from '../metrics/time-zone.ts';
import type { CopilotAccessRecord } from '../store/copilot-usage.ts';
import {
  type DeliveryRules,
  deliveryRules,
  type InstallationRecord,
} from '../store/installations.ts';
import { weekPullRequests } from '../store/pull-requests.ts';
import type { TableRef } from '../store/table.ts';
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
): SlowPullRequest[] {
  return (
    pullRequests
      .filter(
        (pr): pr is StoredPullRequest & { mergedAt: string } =>
          countsInFlowFigures(pr) && within(pr.mergedAt, window),
      )
      .map((pr) => ({ pr, cycle: cyclePhases(pr).cycle }))
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
 * API serves) and the week's PRs for the slowest list.
 */
export async function loadDigestContent(
  table: TableRef,
  installation: InstallationRecord,
  week: string,
  githubWebUrl: string,
): Promise<DigestContent> {
  const { installationId } = installation;
  const view = await weeklyMetricsView(table, installation, {
    weeks: trendWeeks,
    now: new Date(),
    through: week,
  });
  // The view holds `trendWeeks` weeks, newest (this one) first.
  const current = view.weeks[0] as WeekView;
  const window = weekBounds(week, view.timeZone);
  const pullRequests = await weekPullRequests(table, installationId, window);
  return {
    installationId,
    accountLogin: view.accountLogin,
    week,
    timeZone: view.timeZone,
    window,
    view: current,
    copilot: view.copilot,
    deliveryRules: deliveryRules(installation),
    history: view.weeks
      .map((shown) => ({ week: shown.week, merged: shown.organisation?.merged ?? null }))
      .reverse(),
    slowest: slowestPullRequests(pullRequests, window, githubWebUrl),
  };
}
