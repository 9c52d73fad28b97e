import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { ignoreConditionFailure, queryAll, type TableRef } from './table.ts';

/**
 * Marks weeks whose rollup is out of date. Marking again only moves
 * `markedAt`, so a redone chunk changes nothing else; the rollup (issue #5)
 * recomputes each marked week and clears the mark if `markedAt` is unchanged.
 */
/** What a mark sets on its item (a settings change makes marks too). */
export const dirtyWeekAttributes = ['installationId', 'week', 'markedAt'] as const;

export async function markWeeksDirty(
  ref: TableRef,
  installationId: number,
  weeks: readonly string[],
  now: Date,
): Promise<void> {
  await mapWithConcurrency(weeks, 8, (week) =>
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.dirtyWeek(installationId, week),
        UpdateExpression: 'SET installationId = :inst, week = :week, markedAt = :now',
        ExpressionAttributeValues: {
          ':inst': installationId,
          ':week': week,
          ':now': now.toISOString(),
        },
      }),
    ),
  );
}

/** Weeks (UTC ISO weeks) marked dirty, with the mark each was read with. */
export async function listDirtyWeeks(
  ref: TableRef,
  installationId: number,
): Promise<{ week: string; markedAt: string }[]> {
  const prefix = keys.dirtyWeek(installationId, '');
  return queryAll(ref, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: {
      ':pk': prefix[table.partitionKey],
      ':prefix': prefix[table.sortKey],
    },
    ProjectionExpression: 'week, markedAt',
  });
}

/** Clears marks that were not renewed since they were read: late data after the read stays marked. */
export async function clearDirtyWeeks(
  ref: TableRef,
  installationId: number,
  marks: readonly { week: string; markedAt: string }[],
): Promise<void> {
  for (const mark of marks) {
    await ref.db
      .send(
        new DeleteCommand({
          TableName: ref.tableName,
          Key: keys.dirtyWeek(installationId, mark.week),
          ConditionExpression: 'markedAt = :seen',
          ExpressionAttributeValues: { ':seen': mark.markedAt },
        }),
      )
      .catch(ignoreConditionFailure);
  }
}
