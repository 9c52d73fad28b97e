import type { ResolvedCalendar } from '../working-time/calendar.ts';
import { type WorkingAgreements, waited } from './agreements.ts';
import { countsInFlowFigures, largePullRequestLines } from './flow-metrics.ts';
import { openedAt, type StoredPullRequest } from './pull-request.ts';
import { peerReviews } from './review-load.ts';
import { pullRequestTeams, type TeamDirectory } from './team-attribution.ts';
import type { Window } from './weeks.ts';

/**
 * What is waiting, now: docs/metrics.md ("What is waiting") defines each
 * reason. From stored state only — the open set (`store/open-pull-requests.ts`)
 * and the PRs opened or closed since the last nudge — so a page and the
 * morning nudge list the same.
 */
export type WaitingReason = 'awaiting-review' | 'merged-unreviewed' | 'idle' | 'oversized';

/** The order reasons are listed in: a PR is listed once, under the first that holds. */
export const waitingReasons: readonly WaitingReason[] = [
  'awaiting-review',
  'merged-unreviewed',
  'idle',
  'oversized',
];

export interface WaitingRules {
  firstReviewWithinHours: number;
  maxChangedLines: number;
  idleDays: number;
}

/** Where a scope set no agreement: a working day for a first review, the size the figures call large, three days idle. */
export const defaultWaitingRules: WaitingRules = {
  firstReviewWithinHours: 24,
  maxChangedLines: largePullRequestLines,
  idleDays: 3,
};

export function waitingRules(agreements: WorkingAgreements, idleDays?: number): WaitingRules {
  return {
    firstReviewWithinHours:
      agreements.firstReviewWithinHours ?? defaultWaitingRules.firstReviewWithinHours,
    maxChangedLines: agreements.maxChangedLines ?? defaultWaitingRules.maxChangedLines,
    idleDays: idleDays ?? defaultWaitingRules.idleDays,
  };
}

export interface WaitingPullRequest {
  reason: WaitingReason;
  repositoryId: number;
  repositoryFullName: string;
  number: number;
  title: string;
  authorLogin: string;
  /** Asked for review, last activity, merged, or entered review: when its wait (or event) began. */
  since: string;
  /** How long it has waited (working time on the calendar, when given) or been idle. */
  waitedMs: number;
  changedLines?: number;
}

/** A standing review request to a team: its wait starts when the team was asked. */
export interface TeamRequest {
  repositoryId: number;
  number: number;
  teamId: number;
  requestedAt: string;
}

export interface WaitingInput {
  /** The open, ready-for-review PRs and the team review requests on them. */
  open: { pullRequests: readonly StoredPullRequest[]; requests: readonly TeamRequest[] };
  /** PRs opened or closed in `window` (`weekPullRequests` of it). */
  recent: readonly StoredPullRequest[];
  /** From the last nudge to now. */
  window: Window;
  rules: WaitingRules;
  /** The scope's working calendar when it counts working time; clock time otherwise. */
  calendar?: ResolvedCalendar | undefined;
  /** A team's list (its people's PRs and those asked of it), with the directory; else the organisation's. */
  team?: { teamId: number; directory: TeamDirectory } | undefined;
}

const hour = 3_600_000;
const day = 24 * hour;
const prKey = (pr: { repositoryId: number; number: number }) => `${pr.repositoryId}#${pr.number}`;
const linesOf = (pr: StoredPullRequest) =>
  pr.additions === undefined ? undefined : pr.additions + (pr.deletions ?? 0);

/** The PRs waiting, each once, by reason then longest wait first. */
export function waitingList(input: WaitingInput): WaitingPullRequest[] {
  const { window, rules, team } = input;
  const now = window.end.getTime();
  const asked = new Map(
    input.open.requests
      .filter((request) => request.teamId === team?.teamId)
      .map((request) => [prKey(request), request.requestedAt]),
  );
  const ours = (pr: StoredPullRequest) =>
    team
      ? asked.has(prKey(pr)) || pullRequestTeams(team.directory, pr).includes(team.teamId)
      : countsInFlowFigures(pr);
  const found = new Map<string, WaitingPullRequest>();
  const add = (pr: StoredPullRequest, reason: WaitingReason, since: string, waitedMs: number) => {
    if (found.has(prKey(pr))) return;
    const lines = linesOf(pr);
    found.set(prKey(pr), {
      reason,
      repositoryId: pr.repositoryId,
      repositoryFullName: pr.repositoryFullName,
      number: pr.number,
      title: pr.title,
      authorLogin: pr.authorLogin,
      since,
      waitedMs,
      ...(lines === undefined ? {} : { changedLines: lines }),
    });
  };
  const open = input.open.pullRequests.filter(ours);
  for (const pr of open) {
    if (peerReviews(pr).length > 0) continue;
    const ready = openedAt(pr) ?? pr.createdAt;
    const request = asked.get(prKey(pr));
    const since = request && request > ready ? request : ready;
    const wait = waited(since, now, input.calendar);
    if (wait > rules.firstReviewWithinHours * hour) add(pr, 'awaiting-review', since, wait);
  }
  const inWindow = (at: string | null | undefined) =>
    at != null && Date.parse(at) >= window.start.getTime() && Date.parse(at) < now;
  for (const pr of input.recent.filter(ours)) {
    const merged = pr.mergedAt;
    if (!inWindow(merged) || !merged) continue;
    if (!peerReviews(pr).some((review) => review.submittedAt <= merged))
      add(pr, 'merged-unreviewed', merged, 0);
  }
  for (const pr of open) {
    const idle = now - Date.parse(pr.updatedAt);
    if (idle > rules.idleDays * day) add(pr, 'idle', pr.updatedAt, idle);
  }
  for (const pr of [...open, ...input.recent.filter(ours)]) {
    const entered = openedAt(pr);
    if (inWindow(entered) && (linesOf(pr) ?? 0) > rules.maxChangedLines)
      add(pr, 'oversized', entered as string, 0);
  }
  const order = (reason: WaitingReason) => waitingReasons.indexOf(reason);
  return [...found.values()].sort(
    (a, b) => order(a.reason) - order(b.reason) || b.waitedMs - a.waitedMs || a.number - b.number,
  );
}
