import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { conditionalWrite, notNewerThan, queryAll, type TableRef } from './table.ts';

/**
 * Review requests to GitHub teams (`requested_team` of `pull_request`
 * `review_requested` / `review_request_removed`): an item per pull request
 * and team beside the PR, not an attribute of the PR item, because a sync
 * stores a PR item whole and GitHub's GraphQL would charge a nested
 * connection per PR to read them back. While the request stands and the PR
 * is open, the item sits on gsi1 in the installation's open set, so the
 * waiting list reads requests and open PRs in one Query. `changedAt` (the
 * PR's `updated_at` in the event) orders the events: an older one changes
 * nothing.
 */
export interface ReviewRequest {
  repositoryId: number;
  number: number;
  teamId: number;
  /** When the team was (last) asked. */
  requestedAt: string;
}

export interface PullRequestRef {
  installationId: number;
  repositoryId: number;
  number: number;
}

const [openIndex] = table.indexes;

/** Records that `teamId` was asked to review (`requested`) or no longer is, as of `at`; false if older than stored. */
export async function recordReviewRequest(
  ref: TableRef,
  pr: PullRequestRef,
  teamId: number,
  requested: boolean,
  at: string,
): Promise<boolean> {
  const common = {
    TableName: ref.tableName,
    Key: keys.reviewRequest(pr.installationId, pr.repositoryId, pr.number, teamId),
    ConditionExpression: notNewerThan('changedAt', ':at'),
  };
  return conditionalWrite(
    ref.db.send(
      requested
        ? new UpdateCommand({
            ...common,
            UpdateExpression:
              'SET repositoryId = :repo, #number = :number, teamId = :team, requestedAt = :at, changedAt = :at, #open = :open, #openAt = :at',
            ExpressionAttributeNames: {
              '#number': 'number',
              '#open': openIndex.partitionKey,
              '#openAt': openIndex.sortKey,
            },
            ExpressionAttributeValues: {
              ':repo': pr.repositoryId,
              ':number': pr.number,
              ':team': teamId,
              ':at': at,
              ':open': keys.openPullRequests(pr.installationId),
            },
          })
        : new UpdateCommand({
            ...common,
            UpdateExpression: 'SET changedAt = :at REMOVE requestedAt, #open, #openAt',
            ExpressionAttributeNames: {
              '#open': openIndex.partitionKey,
              '#openAt': openIndex.sortKey,
            },
            ExpressionAttributeValues: { ':at': at },
          }),
    ),
  );
}

/**
 * Takes a closed PR's requests off the open set (kept, as of `at`, so a late
 * `review_requested` older than the close cannot put one back). A PR closed
 * while its webhooks were lost keeps its requests there; the waiting list
 * drops requests of PRs not open.
 */
export async function closeReviewRequests(
  ref: TableRef,
  pr: PullRequestRef,
  at: string,
): Promise<void> {
  const { partition, sortPrefix } = keys.reviewRequestsOf(
    pr.installationId,
    pr.repositoryId,
    pr.number,
  );
  const items = await queryAll<{ teamId: number }>(ref, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': partition, ':prefix': sortPrefix },
    ProjectionExpression: 'teamId',
  });
  await mapWithConcurrency(items, 8, ({ teamId }) =>
    recordReviewRequest(ref, pr, teamId, false, at),
  );
}
