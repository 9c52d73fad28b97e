import { isAiAssisted, openedByAiBot } from './ai-assisted.ts';
import { type Clock, calendarClock } from './clock.ts';
import { type Distribution, distributionOf, median, round2 } from './distribution.ts';
import { openedAt, type PullRequestFacts, type StoredPullRequest } from './pull-request.ts';
import {
  type GivenReview,
  givenReviews,
  peerReviews,
  reviewLoad,
  reviewTurnaround,
} from './review-load.ts';
import { type Window, within } from './weeks.ts';

// Defined here before weeks.ts had them; callers still import them from here.
export { type Window, within };

/**
 * Flowmeter's weekly metrics, as pure functions of stored pull requests.
 * The definitions are docs/metrics.md's ("Flow"); each function
 * here implements one of them, review load in review-load.ts.
 */

export interface FlowMetrics {
  opened: number;
  merged: number;
  closedWithoutMerge: number;
  activeContributors: number;
  cycleTime: Distribution | null;
  codingTime: Distribution | null;
  pickupTime: Distribution | null;
  reviewTime: Distribution | null;
  reviewTurnaround: Distribution | null;
  /** Review load: peer reviews submitted in the week, and the people who gave them. */
  reviewsGiven: number;
  reviewers: number;
  reviewsPerMergedPr: number | null;
  mergedWithoutReviewShare: number | null;
  medianLinesChanged: number | null;
  over400LinesShare: number | null;
  reworkCommits: number;
  reworkCommitsPerMergedPr: number | null;
  aiAssistedShare: number | null;
  /** The same durations in working hours on the scope's calendar, when it has one (clock.ts). */
  working?: FlowDurations;
}

/** The flow figures that are durations: counted in calendar hours, and in working hours too. */
export type FlowDurations = Pick<
  FlowMetrics,
  'cycleTime' | 'codingTime' | 'pickupTime' | 'reviewTime' | 'reviewTurnaround'
>;

/** Over 400 lines changed, a PR is too big to review well. */
export const largePullRequestLines = 400;

const isBot = (type: string) => type === 'Bot';
const ms = (when: string) => Date.parse(when);

/** Cycle time starts at the first commit, or at PR creation if that was earlier. */
function cycleStart(pr: StoredPullRequest): number {
  const created = ms(pr.createdAt);
  return pr.firstCommitAt ? Math.min(ms(pr.firstCommitAt), created) : created;
}

/**
 * The phases of a merged PR's cycle time, in ms on `clock` (calendar time
 * unless told); pickup and review only if it was reviewed.
 */
export function cyclePhases(
  pr: StoredPullRequest & { mergedAt: string },
  clock: Clock = calendarClock,
): {
  cycle: number;
  coding: number;
  pickup: number | null;
  review: number | null;
} {
  const start = cycleStart(pr);
  const merged = ms(pr.mergedAt);
  // A PR merged without being marked ready was ready when merged.
  const ready = Math.max(start, Math.min(merged, ms(openedAt(pr) ?? pr.mergedAt)));
  const firstReview = peerReviews(pr)[0]?.submittedAt;
  // Reviewed while still a draft: picked up the moment it was ready.
  const reviewed = firstReview ? Math.min(merged, Math.max(ready, ms(firstReview))) : null;
  return {
    cycle: clock(start, merged),
    coding: clock(start, ready),
    pickup: reviewed === null ? null : clock(ready, reviewed),
    review: reviewed === null ? null : clock(reviewed, merged),
  };
}

/** The duration figures of the week's merged PRs and reviews, on one clock. */
function flowDurations(
  merged: readonly (StoredPullRequest & { mergedAt: string })[],
  reviews: readonly GivenReview[],
  clock: Clock,
): FlowDurations {
  const phases = merged.map((pr) => cyclePhases(pr, clock));
  const reviewed = phases.filter((phase) => phase.pickup !== null);
  return {
    cycleTime: distributionOf(phases.map((phase) => phase.cycle)),
    codingTime: distributionOf(phases.map((phase) => phase.coding)),
    pickupTime: distributionOf(reviewed.map((phase) => phase.pickup ?? 0)),
    reviewTime: distributionOf(reviewed.map((phase) => phase.review ?? 0)),
    reviewTurnaround: reviewTurnaround(reviews, clock),
  };
}

/** Commits committed after the first peer review: changes asked for in review. */
export function reworkCommits(pr: StoredPullRequest): number {
  const firstReview = peerReviews(pr)[0]?.submittedAt;
  if (!firstReview) return 0;
  return (pr.commitDates ?? []).filter((date) => ms(date) > ms(firstReview)).length;
}

/**
 * Bot PRs (dependency bumps and the like) are not the people's flow and are
 * left out — even when a commit carries an AI co-author trailer; PRs an AI
 * agent bot opened count, as AI-assisted work.
 */
export function countsInFlowFigures(pr: PullRequestFacts): boolean {
  return !isBot(pr.authorType) || openedByAiBot(pr);
}

const share = (part: number, whole: number) => (whole === 0 ? null : round2(part / whole));

/** The peer reviews of the pull requests the flow figures count: what review load is taken from. */
export function weekReviews(
  pullRequests: readonly StoredPullRequest[],
  week: Window,
): GivenReview[] {
  return givenReviews(pullRequests.filter(countsInFlowFigures), week);
}

/**
 * The metrics of a set of pull requests (an organisation, a team, a
 * repository, an author) for one week. Review load is over `reviews`: by
 * default every review of these pull requests; a team's or a person's are
 * the reviews its people gave, on anyone's pull requests (review-load.ts).
 * With `working` (the scope's calendar), its durations in working time too.
 */
export function flowMetrics(
  scope: readonly StoredPullRequest[],
  week: Window,
  reviews: readonly GivenReview[] = weekReviews(scope, week),
  working?: Clock,
): FlowMetrics {
  const pullRequests = scope.filter(countsInFlowFigures);
  const opened = pullRequests.filter((pr) => within(openedAt(pr), week));
  const merged = pullRequests.filter((pr): pr is StoredPullRequest & { mergedAt: string } =>
    within(pr.mergedAt, week),
  );
  const closedWithoutMerge = pullRequests.filter((pr) => !pr.mergedAt && within(pr.closedAt, week));
  const reviewed = merged.filter((pr) => peerReviews(pr).length > 0);
  const sizes = merged
    .filter((pr) => pr.additions !== undefined && pr.deletions !== undefined)
    .map((pr) => (pr.additions ?? 0) + (pr.deletions ?? 0));
  const rework = merged.reduce((sum, pr) => sum + reworkCommits(pr), 0);
  const load = reviewLoad(reviews, week);

  const people = new Set<number>(load.reviewerIds);
  for (const pr of [...opened, ...merged]) if (!isBot(pr.authorType)) people.add(pr.authorId);

  return {
    opened: opened.length,
    merged: merged.length,
    closedWithoutMerge: closedWithoutMerge.length,
    activeContributors: people.size,
    ...flowDurations(merged, reviews, calendarClock),
    reviewsGiven: load.reviewsGiven,
    reviewers: load.reviewerIds.size,
    reviewsPerMergedPr:
      merged.length === 0
        ? null
        : round2(merged.reduce((sum, pr) => sum + peerReviews(pr).length, 0) / merged.length),
    mergedWithoutReviewShare: share(merged.length - reviewed.length, merged.length),
    medianLinesChanged: median(sizes),
    over400LinesShare: share(
      sizes.filter((lines) => lines > largePullRequestLines).length,
      sizes.length,
    ),
    reworkCommits: rework,
    reworkCommitsPerMergedPr: merged.length === 0 ? null : round2(rework / merged.length),
    aiAssistedShare: share(merged.filter(isAiAssisted).length, merged.length),
    ...(working ? { working: flowDurations(merged, reviews, working) } : {}),
  };
}
