import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { weeksTouched } from '../metrics/weeks.ts';
import { table } from '../resources.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { listRepositories } from './installations.ts';
import { keys } from './keys.ts';
import { withAllReviews } from './pull-request-reviews.ts';
import { pullRequestFromItem } from './pull-requests.ts';
import { batchWrite, queryAll, type TableRef } from './table.ts';

/** Deletes every item of a partition but the one sorted `kept`; returns how many it deleted. */
async function deletePartition(ref: TableRef, partition: string, kept?: string): Promise<number> {
  const items = await queryAll<Record<string, string>>(ref, {
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': partition },
    ProjectionExpression: '#pk, #sk',
  });
  const deleted = items.filter((item) => item[table.sortKey] !== kept);
  await batchWrite(
    ref,
    deleted.map((item) => ({
      DeleteRequest: {
        Key: {
          [table.partitionKey]: item[table.partitionKey],
          [table.sortKey]: item[table.sortKey],
        },
      },
    })),
  );
  return deleted.length;
}

/**
 * Deletes everything stored of an installation: its repositories' pull
 * requests, its weekly metrics, its Copilot usage, then its own partition
 * (repositories, marks, sent emails), and last its item with its recipients
 * and their tokens is replaced by one that says only that it was deleted —
 * off the installations' listing, so a purge stopped half way is found and
 * finished by the next, and kept so a replayed event of it (ids are never
 * used again) finds it deleted rather than new. Returns how many items
 * went, its own among them.
 */
export async function purgeInstallation(ref: TableRef, installationId: number): Promise<number> {
  let deleted = 0;
  for (const repository of await listRepositories(ref, installationId))
    deleted += await deletePartition(
      ref,
      keys.pullRequestPartition(installationId, repository.repositoryId),
    );
  deleted += await deletePartition(ref, keys.weeklyMetricsPartition(installationId));
  deleted += await deletePartition(ref, keys.copilotPartition(installationId));
  const installation = keys.installation(installationId);
  deleted += await deletePartition(
    ref,
    keys.installationPartition(installationId),
    installation[table.sortKey],
  );
  await ref.db.send(
    new PutCommand({
      TableName: ref.tableName,
      Item: { ...installation, installationId, status: 'deleted' },
    }),
  );
  return deleted + 1;
}

/**
 * Deletes a repository's pull requests and then its item, having first
 * marked the weeks they fed, which must be rolled up again without them —
 * first, so a purge stopped half way (its pull requests gone, its item
 * still there) has lost no mark. Returns how many pull requests it held.
 */
export async function purgeRepository(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
  now: Date,
): Promise<number> {
  const partition = keys.pullRequestPartition(installationId, repositoryId);
  const pullRequests = await withAllReviews(
    ref,
    (
      await queryAll<Record<string, unknown>>(ref, {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :pr)',
        ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
        ExpressionAttributeValues: { ':pk': partition, ':pr': 'PR#' },
      })
    ).map(pullRequestFromItem),
  );
  await markWeeksDirty(ref, installationId, weeksTouched(pullRequests), now);
  await deletePartition(ref, partition);
  await batchWrite(ref, [
    { DeleteRequest: { Key: keys.repository(installationId, repositoryId) } },
  ]);
  return pullRequests.length;
}
