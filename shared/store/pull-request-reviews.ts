import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency.ts';
import type { ReviewFacts, StoredPullRequest } from '../metrics/pull-request.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { batchWrite, isConditionFailure, queryAll, type TableRef } from './table.ts';

/**
 * Where a pull request's reviews live. Up to `inlineReviews` of them sit in
 * its item, so a rollup reads one item per PR; a PR with more — GitHub makes
 * a review of each standalone review comment, and thousands would pass
 * DynamoDB's 400 KB item limit — keeps them all as items of their own
 * (`reviewsApart`), each write touching one small item, read back only for
 * such PRs. A sync sets it on a PR whose reviews do not fit its first page;
 * a review webhook, on the one that would pass this many.
 */
export const inlineReviews = 100;

type PullRequestKey = Pick<StoredPullRequest, 'installationId' | 'repositoryId' | 'number'>;

/** Writes reviews as items of their own (a review written again is the same item; its latest state wins). */
export async function putReviewItems(
  ref: TableRef,
  pullRequest: PullRequestKey,
  reviews: readonly ReviewFacts[],
): Promise<void> {
  const { installationId, repositoryId, number } = pullRequest;
  await batchWrite(
    ref,
    reviews.map((review) => ({
      PutRequest: {
        Item: { ...keys.review(installationId, repositoryId, number, review.reviewId), ...review },
      },
    })),
  );
}

/** A PR's reviews kept apart, keyed by review id. */
async function reviewsApart(
  ref: TableRef,
  pullRequest: PullRequestKey,
): Promise<StoredPullRequest['reviews']> {
  const { partition, sortPrefix } = keys.reviewsOf(
    pullRequest.installationId,
    pullRequest.repositoryId,
    pullRequest.number,
  );
  const items = await queryAll<ReviewFacts & Record<string, unknown>>(ref, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': partition, ':prefix': sortPrefix },
  });
  return Object.fromEntries(
    items.map(({ reviewId, reviewerId, reviewerLogin, reviewerType, state, submittedAt }) => [
      String(reviewId),
      { reviewId, reviewerId, reviewerLogin, reviewerType, state, submittedAt },
    ]),
  );
}

/** Stored pull requests with every review in `reviews`, wherever it is kept. */
export async function withAllReviews(
  ref: TableRef,
  pullRequests: readonly StoredPullRequest[],
): Promise<StoredPullRequest[]> {
  return mapWithConcurrency(pullRequests, 8, async (pr) =>
    pr.reviewsApart ? { ...pr, reviews: await reviewsApart(ref, pr) } : pr,
  );
}

/**
 * A dismissed review stays dismissed: GitHub cannot undo a dismissal, and
 * no time in a review's events orders its submission against its dismissal
 * (`submitted_at` is the submission's, and the pull request's `updated_at`
 * may move on for either), so a submission that arrives after the dismissal
 * — a redelivery, a replayed body — is older and changes nothing.
 */
const dismissed = 'dismissed';
const notDismissed = (state: string) =>
  `(attribute_not_exists(${state}) OR ${state} <> :dismissed)`;

/**
 * Sets one review on a stored pull request (its latest state wins: a dismissal
 * replaces the approval it dismissed, and nothing replaces a dismissal). The
 * pull request must exist, which `upsertPullRequest` guarantees for any event
 * carrying a review. The review that would take its item past
 * `inlineReviews` moves them all apart first. `stale` when nothing changed.
 */
export async function recordReview(
  ref: TableRef,
  pullRequest: PullRequestKey,
  review: ReviewFacts,
): Promise<'written' | 'stale'> {
  const key = keys.pullRequest(
    pullRequest.installationId,
    pullRequest.repositoryId,
    pullRequest.number,
  );
  for (let attempt = 1; ; attempt++) {
    try {
      await ref.db.send(
        new UpdateCommand({
          TableName: ref.tableName,
          Key: key,
          UpdateExpression: 'SET reviews.#id = :review',
          ConditionExpression: `attribute_exists(reviews) AND attribute_not_exists(reviewsApart) AND (attribute_exists(reviews.#id) OR size(reviews) < :inline) AND ${notDismissed('reviews.#id.#state')}`,
          ExpressionAttributeNames: { '#id': String(review.reviewId), '#state': 'state' },
          ExpressionAttributeValues: {
            ':review': review,
            ':inline': inlineReviews,
            ':dismissed': dismissed,
          },
        }),
      );
      return 'written';
    } catch (error) {
      if (!isConditionFailure(error) || attempt >= 5) throw error;
    }
    const { Item } = await ref.db.send(
      new GetCommand({ TableName: ref.tableName, Key: key, ConsistentRead: true }),
    );
    const stored = Item as StoredPullRequest | undefined;
    if (!stored) throw new Error(`[flowmeter] no pull request ${pullRequest.number} to review`);
    // Refused: the stored review is dismissed, or the item is full, or its reviews are apart.
    if (stored.reviews[String(review.reviewId)]?.state === dismissed) return 'stale';
    if (stored.reviewsApart) return putReviewApart(ref, pullRequest, review);
    // The item is full: its reviews move apart, then it says so (a crash between repeats the move).
    await putReviewItems(ref, pullRequest, Object.values(stored.reviews));
    const written = await putReviewApart(ref, pullRequest, review);
    try {
      await ref.db.send(
        new UpdateCommand({
          TableName: ref.tableName,
          Key: key,
          UpdateExpression: 'SET reviews = :none, reviewsApart = :true',
          ConditionExpression: 'attribute_not_exists(reviewsApart) AND size(reviews) = :moved',
          ExpressionAttributeValues: {
            ':none': {},
            ':true': true,
            ':moved': Object.keys(stored.reviews).length,
          },
        }),
      );
      return written;
    } catch (error) {
      // A review landed in the item meanwhile: read it again and move that one too.
      if (!isConditionFailure(error)) throw error;
    }
  }
}

/** Writes one review as an item of its own, unless the stored one is dismissed. */
async function putReviewApart(
  ref: TableRef,
  pullRequest: PullRequestKey,
  review: ReviewFacts,
): Promise<'written' | 'stale'> {
  const { installationId, repositoryId, number } = pullRequest;
  try {
    await ref.db.send(
      new PutCommand({
        TableName: ref.tableName,
        Item: { ...keys.review(installationId, repositoryId, number, review.reviewId), ...review },
        ConditionExpression: notDismissed('#state'),
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':dismissed': dismissed },
      }),
    );
    return 'written';
  } catch (error) {
    if (isConditionFailure(error)) return 'stale';
    throw error;
  }
}
