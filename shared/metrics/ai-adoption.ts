import { isAiAssisted } from './ai-assisted.ts';
import {
  type CopilotWeek,
  copilotWeek,
  type OrganisationDay,
  type UserDay,
} from './copilot-usage.ts';
import { round2 } from './distribution.ts';
import {
  countsInFlowFigures,
  type FlowMetrics,
  flowMetrics,
  type Window,
  within,
} from './flow-metrics.ts';
import type { StoredPullRequest } from './pull-request.ts';

/** The flow of one group of a week's merged pull requests. */
export type GroupFlow = Pick<
  FlowMetrics,
  | 'merged'
  | 'cycleTime'
  | 'codingTime'
  | 'pickupTime'
  | 'reviewTime'
  | 'medianLinesChanged'
  | 'reworkCommitsPerMergedPr'
>;

/** Copilot's use in a week beside what happened to the flow of pull requests. */
export interface AiAdoption {
  aiAssisted: GroupFlow;
  notAiAssisted: GroupFlow;
  /** GitHub's Copilot usage for the week; null when it reported none. */
  copilot: CopilotWeek | null;
  /** Days of the week GitHub answered "no data" for (fewer than five Copilot users, or nobody used it). */
  copilotNoDataDays: number;
  /** Merged PRs whose author used Copilot that week, of all merged; null without the users report. */
  copilotActiveAuthorsShare: number | null;
}

/** What Copilot reported for a week's days. */
export interface CopilotDays {
  organisation: readonly OrganisationDay[];
  users: readonly UserDay[];
  /** Days GitHub answered "no data" for. */
  noDataDays: number;
}

function groupFlow(pullRequests: readonly StoredPullRequest[], week: Window): GroupFlow {
  const metrics = flowMetrics(pullRequests, week);
  return {
    merged: metrics.merged,
    cycleTime: metrics.cycleTime,
    codingTime: metrics.codingTime,
    pickupTime: metrics.pickupTime,
    reviewTime: metrics.reviewTime,
    medianLinesChanged: metrics.medianLinesChanged,
    reworkCommitsPerMergedPr: metrics.reworkCommitsPerMergedPr,
  };
}

/**
 * A week's AI adoption: its PRs split into AI-assisted and not (the same
 * flow metrics for each group), Copilot's use that week, and the share of
 * merged PRs whose author used Copilot in it.
 */
export function aiAdoption(
  pullRequests: readonly StoredPullRequest[],
  week: Window,
  copilot: CopilotDays,
): AiAdoption {
  const users = new Set(copilot.users.map((user) => user.userId));
  const merged = pullRequests.filter((pr) => countsInFlowFigures(pr) && within(pr.mergedAt, week));
  const byCopilotUsers = merged.filter((pr) => users.has(pr.authorId)).length;
  return {
    aiAssisted: groupFlow(pullRequests.filter(isAiAssisted), week),
    notAiAssisted: groupFlow(
      pullRequests.filter((pr) => !isAiAssisted(pr)),
      week,
    ),
    copilot: copilotWeek(copilot.organisation, copilot.users),
    copilotNoDataDays: copilot.noDataDays,
    copilotActiveAuthorsShare:
      copilot.users.length === 0 || merged.length === 0
        ? null
        : round2(byCopilotUsers / merged.length),
  };
}
