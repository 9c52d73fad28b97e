import type { StoredPullRequest } from '../metrics/pull-request.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { withAllReviews } from './pull-request-reviews.ts';
import { pullRequestFromItem } from './pull-requests.ts';
import type { ReviewRequest } from './review-requests.ts';
import { queryAll, type TableRef } from './table.ts';

/** What is open now: ready-for-review PRs (with all their reviews) and the standing team review requests on them. */
export interface OpenPullRequests {
  pullRequests: StoredPullRequest[];
  requests: ReviewRequest[];
}

const [openIndex] = table.indexes;

/**
 * The installation's open set on gsi1, in one Query (pages followed): it
 * grows with what is open now, never with the history. A request whose PR
 * is not in the set (closed while its webhooks were lost) is left out.
 */
export async function readOpenPullRequests(
  ref: TableRef,
  installationId: number,
): Promise<OpenPullRequests> {
  const items = await queryAll<Record<string, unknown>>(ref, {
    IndexName: openIndex.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': openIndex.partitionKey },
    ExpressionAttributeValues: { ':pk': keys.openPullRequests(installationId) },
  });
  const isRequest = (item: Record<string, unknown>) =>
    String(item[table.sortKey]).startsWith('REVIEWREQ#');
  const pullRequests = items.filter((item) => !isRequest(item)).map(pullRequestFromItem);
  const open = new Set(pullRequests.map((pr) => `${pr.repositoryId}#${pr.number}`));
  const requests = items
    .filter(isRequest)
    .map((item) => item as unknown as ReviewRequest)
    .filter((request) => open.has(`${request.repositoryId}#${request.number}`))
    .map(({ repositoryId, number, teamId, requestedAt }) => ({
      repositoryId,
      number,
      teamId,
      requestedAt,
    }));
  return { pullRequests: await withAllReviews(ref, pullRequests), requests };
}
