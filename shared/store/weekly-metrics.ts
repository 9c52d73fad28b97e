import type { MetricRow } from '../metrics/rollup.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { batchWrite, queryAll, type TableRef } from './table.ts';

export interface WeeklyMetricsItem extends MetricRow {
  installationId: number;
  week: string;
  timeZone: string;
}

const weekRows = (ref: TableRef, installationId: number, from: string, to: string) => {
  const partition = keys.weeklyMetrics(installationId, from, '')[table.partitionKey];
  return queryAll<WeeklyMetricsItem & Record<string, string>>(ref, {
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    // '~' sorts after every row key character.
    ExpressionAttributeValues: { ':pk': partition, ':from': `${from}#`, ':to': `${to}#~` },
  });
};

/**
 * Makes a week's stored rows exactly `rows`: puts each (same rows, same
 * items) and deletes rows of an earlier computation that no longer exist
 * (an author whose only PR moved to another week).
 */
export async function replaceWeeklyMetrics(
  ref: TableRef,
  installationId: number,
  week: string,
  timeZone: string,
  rows: readonly MetricRow[],
): Promise<void> {
  const keep = new Set(rows.map((row) => row.row));
  const stale = (await weekRows(ref, installationId, week, week)).filter(
    (item) => !keep.has(item.row),
  );
  await batchWrite(ref, [
    ...rows.map((row) => ({
      PutRequest: {
        Item: {
          ...keys.weeklyMetrics(installationId, week, row.row),
          installationId,
          week,
          timeZone,
          ...row,
        },
      },
    })),
    ...stale.map((item) => ({
      DeleteRequest: { Key: keys.weeklyMetrics(installationId, week, item.row) },
    })),
  ]);
}

/** Stored rows of the weeks from `from` to `to` (inclusive), oldest week first. */
export async function readWeeklyMetrics(
  ref: TableRef,
  installationId: number,
  from: string,
  to: string,
): Promise<WeeklyMetricsItem[]> {
  const items = await weekRows(ref, installationId, from, to);
  return items.map(
    ({ installationId: id, week, timeZone, row, scope, name, metrics, ai, copilotActive }) => ({
      installationId: id,
      week,
      timeZone,
      row,
      scope,
      name,
      metrics,
      ...(ai ? { ai } : {}),
      ...(copilotActive === undefined ? {} : { copilotActive }),
    }),
  );
}
