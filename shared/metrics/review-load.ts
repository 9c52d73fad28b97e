import type { Clock } from './clock.ts';
import { type Distribution, distributionOf } from './distribution.ts';
import { openedAt, type ReviewFacts, type StoredPullRequest } from './pull-request.ts';
import { type Window, within } from './weeks.ts';

/**
 * Review load: the reviewing people do, as against the review their own
 * pull requests get. Its figures — reviews given, reviewers, review
 * turnaround, and the reviewers among the active contributors — count for
 * whoever gave each review: a team's are its people's reviews, whoever
 * wrote the pull request (team-rows.ts), a person's their own (rollup.ts);
 * an organisation's or a repository's, every review of its pull requests.
 * docs/metrics.md ("Flow", "Teams") has the definitions.
 */

const ms = (when: string) => Date.parse(when);

/** Submitted reviews by people other than the author, oldest first; bots' are not reviews. */
export function peerReviews(pr: StoredPullRequest): (ReviewFacts & { submittedAt: string })[] {
  return Object.values(pr.reviews)
    .filter(
      (review): review is ReviewFacts & { submittedAt: string } =>
        review.submittedAt !== null &&
        review.state !== 'pending' &&
        review.reviewerId !== pr.authorId &&
        review.reviewerType !== 'Bot',
    )
    .sort((a, b) => ms(a.submittedAt) - ms(b.submittedAt));
}

/** One peer review of one of the week's pull requests, as review load counts it. */
export interface GivenReview {
  /** Where it was given: a figure over reviews is data of the repositories reviewed in. */
  repositoryId: number;
  reviewerId: number;
  reviewerLogin: string;
  submittedAt: string;
  /**
   * Ready for review → this review (instants in ms), when it is its
   * reviewer's first of a pull request merged in the week: one review
   * turnaround, measured on either clock. Such a review may predate the
   * week; it counts for turnaround, not as given in it.
   */
  turnaround: { readyMs: number; reviewedMs: number } | null;
}

/** Every peer review of these pull requests (those the flow figures count), each with its turnaround where it has one. */
export function givenReviews(
  pullRequests: readonly StoredPullRequest[],
  week: Window,
): GivenReview[] {
  return pullRequests.flatMap((pr) => {
    const merged = within(pr.mergedAt, week);
    const ready = ms(openedAt(pr) ?? pr.createdAt);
    const seen = new Set<number>();
    return peerReviews(pr).map((review) => {
      const first = !seen.has(review.reviewerId);
      seen.add(review.reviewerId);
      return {
        repositoryId: pr.repositoryId,
        reviewerId: review.reviewerId,
        reviewerLogin: review.reviewerLogin,
        submittedAt: review.submittedAt,
        turnaround: merged && first ? { readyMs: ready, reviewedMs: ms(review.submittedAt) } : null,
      };
    });
  });
}

export interface ReviewLoad {
  /** Reviews submitted in the week. */
  reviewsGiven: number;
  /** The people who submitted them. */
  reviewerIds: ReadonlySet<number>;
}

export function reviewLoad(reviews: readonly GivenReview[], week: Window): ReviewLoad {
  const given = reviews.filter((review) => within(review.submittedAt, week));
  return {
    reviewsGiven: given.length,
    reviewerIds: new Set(given.map((review) => review.reviewerId)),
  };
}

/** The turnarounds of these reviews on a clock; a review before its PR was ready waited nothing. */
export function reviewTurnaround(
  reviews: readonly GivenReview[],
  clock: Clock,
): Distribution | null {
  return distributionOf(
    reviews.flatMap(({ turnaround }) =>
      turnaround === null ? [] : [Math.max(0, clock(turnaround.readyMs, turnaround.reviewedMs))],
    ),
  );
}
