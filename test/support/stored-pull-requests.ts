import type { StoredPullRequest } from '#shared/metrics/pull-request.ts';
import { table } from '#shared/resources.ts';
import { keys } from '#shared/store/keys.ts';
import { withAllReviews } from '#shared/store/pull-request-reviews.ts';
import { pullRequestFromItem } from '#shared/store/pull-requests.ts';
import { queryAll, type TableRef } from '#shared/store/table.ts';

/** A repository's stored pull requests, each with all its reviews wherever they are kept. */
export async function storedPullRequests(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
): Promise<(StoredPullRequest & Record<string, unknown>)[]> {
  const items = await queryAll<Record<string, unknown>>(ref, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :pr)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: {
      ':pk': keys.pullRequestPartition(installationId, repositoryId),
      ':pr': 'PR#',
    },
  });
  return (await withAllReviews(ref, items.map(pullRequestFromItem))) as (StoredPullRequest &
    Record<string, unknown>)[];
}
