import type { PullRequestFacts, ReviewFacts, StoredPullRequest } from '../metrics/pull-request.ts';
import { isoWeek, weeksTouched } from '../metrics/weeks.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { recordReview } from './pull-request-reviews.ts';
import {
  type FollowUpMerge,
  mergeFollowUp,
  putPullRequests,
  upsertPullRequest,
} from './pull-requests.ts';
import type { TableRef } from './table.ts';

/** What a webhook event or a sync chunk just learned about one installation's pull requests. */
export interface LearnedPullRequests {
  installationId: number;
  /** Fetched whole from GitHub by a sync: replaces the stored copies. */
  synced?: readonly StoredPullRequest[];
  /** Next review / commit pages of stored PRs (a sync's follow-ups), each merged once. */
  followUps?: readonly (FollowUpMerge & { repositoryId: number })[];
  /** From a webhook payload: upserted unless the stored copy is newer. */
  changed?: PullRequestFacts;
  /** A review from a webhook, set on `changed` (its latest state wins). */
  review?: ReviewFacts;
}

export interface RecordedPullRequests {
  /** Whether `changed` was written or older than the stored copy. */
  changed?: 'written' | 'stale';
  /** Each follow-up's mark as it now stands, in order: what is left to read. */
  followUpMarks: (string | undefined)[];
}

/**
 * The one way pull requests enter the table, from webhooks and syncs alike:
 * writes what was learned, then marks every week it feeds (opened, merged,
 * closed, reviewed) dirty so the rollup recomputes it. Marking after the
 * write means a crash between the two leaves data the retry marks again.
 */
export async function recordPullRequests(
  table: TableRef,
  learned: LearnedPullRequests,
  now: Date,
): Promise<RecordedPullRequests> {
  const recorded: RecordedPullRequests = { followUpMarks: [] };
  if (learned.synced) await putPullRequests(table, learned.synced);
  const merged = await Promise.all(
    (learned.followUps ?? []).map((merge) =>
      mergeFollowUp(
        table,
        { installationId: learned.installationId, repositoryId: merge.repositoryId },
        merge,
      ),
    ),
  );
  recorded.followUpMarks = merged.map((result) => result.mark);
  let reviewed: 'written' | 'stale' | undefined;
  if (learned.changed) {
    // A stale PR copy still leaves the item in place for a review to land on.
    recorded.changed = await upsertPullRequest(table, learned.changed);
    if (learned.review) reviewed = await recordReview(table, learned.changed, learned.review);
  }
  const { changed, review } = learned;
  const reviews = review && reviewed === 'written' ? { [review.reviewId]: review } : {};
  // An event older than what is stored changed nothing: it marks no week either.
  const applied = changed && (recorded.changed === 'written' || reviewed === 'written');
  const weeks = new Set(
    weeksTouched([
      ...(learned.synced ?? []),
      ...(applied ? [{ ...changed, reviews }] : []),
      ...merged.flatMap((result) => (result.assigned ? [result.assigned] : [])),
    ]),
  );
  for (const merge of learned.followUps ?? []) {
    for (const { submittedAt } of merge.reviews) if (submittedAt) weeks.add(isoWeek(submittedAt));
  }
  await markWeeksDirty(table, learned.installationId, [...weeks].sort(), now);
  return recorded;
}
