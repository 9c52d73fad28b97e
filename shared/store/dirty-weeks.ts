import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency.ts';
import { keys } from './keys.ts';
import type { TableRef } from './table.ts';

/**
 * Marks weeks whose rollup is out of date. Marking again only moves
 * `markedAt`, so a redone chunk changes nothing else; the rollup (issue #5)
 * recomputes each marked week and clears the mark if `markedAt` is unchanged.
 */
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
