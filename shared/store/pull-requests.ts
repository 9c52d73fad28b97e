import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PullRequestFacts, ReviewFacts } from '../github/pull-request-facts.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { assignments, isConditionFailure, type TableRef } from './table.ts';

/**
 * Upserts a pull request's facts unless the stored copy is newer: webhooks
 * arrive out of order, and an older payload must not undo a newer one.
 * Fields the source lacks (size facts on a review event) are left as stored.
 * Reviews are folded into the item as a map keyed by review id, so a rollup
 * reads one item per PR.
 */
export async function upsertPullRequest(
  { db, tableName }: TableRef,
  facts: PullRequestFacts,
): Promise<'written' | 'stale'> {
  const set = assignments(facts);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.pullRequest(facts.installationId, facts.repositoryId, facts.number),
        UpdateExpression: `SET ${set.clauses.join(', ')}, reviews = if_not_exists(reviews, :emptyReviews)`,
        ConditionExpression: 'attribute_not_exists(#pk) OR #updatedAt <= :updatedAt',
        ExpressionAttributeNames: {
          ...set.names,
          '#pk': table.partitionKey,
          '#updatedAt': 'updatedAt',
        },
        ExpressionAttributeValues: {
          ...set.values,
          ':emptyReviews': {},
          ':updatedAt': facts.updatedAt,
        },
      }),
    );
    return 'written';
  } catch (error) {
    if (isConditionFailure(error)) return 'stale';
    throw error;
  }
}

/**
 * Sets one review on a stored pull request (its latest state wins: a dismissal
 * replaces the approval it dismissed). The pull request must exist, which
 * `upsertPullRequest` guarantees for any event carrying a review.
 */
export async function recordReview(
  { db, tableName }: TableRef,
  pullRequest: Pick<PullRequestFacts, 'installationId' | 'repositoryId' | 'number'>,
  review: ReviewFacts,
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.pullRequest(
        pullRequest.installationId,
        pullRequest.repositoryId,
        pullRequest.number,
      ),
      UpdateExpression: 'SET reviews.#id = :review',
      ConditionExpression: 'attribute_exists(reviews)',
      ExpressionAttributeNames: { '#id': String(review.reviewId) },
      ExpressionAttributeValues: { ':review': review },
    }),
  );
}

/** DynamoDB takes at most 25 puts per BatchWriteItem. */
const maxBatchWrite = 25;

/**
 * Stores synced pull requests whole (the sync's copy, fetched from GitHub, is
 * authoritative), 25 per BatchWriteItem, retrying what DynamoDB leaves
 * unprocessed with backoff. Writing the same chunk again yields the same items.
 */
export async function putPullRequests(
  { db, tableName }: TableRef,
  pullRequests: readonly (PullRequestFacts & { reviews: Record<string, ReviewFacts> })[],
): Promise<void> {
  for (let start = 0; start < pullRequests.length; start += maxBatchWrite) {
    let requests: NonNullable<
      ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']
    >[string] = pullRequests.slice(start, start + maxBatchWrite).map((facts) => ({
      PutRequest: {
        Item: {
          ...keys.pullRequest(facts.installationId, facts.repositoryId, facts.number),
          ...facts,
        },
      },
    }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 25 * 2 ** attempt)));
      if (attempt > 8)
        throw new Error(
          `[flowmeter] ${requests.length} pull requests left unprocessed by DynamoDB`,
        );
      const result = await db.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = result.UnprocessedItems?.[tableName] ?? [];
    }
  }
}
