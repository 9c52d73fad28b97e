import { canonicalJson } from '../canonical-json.ts';
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
 * Makes a week's stored rows exactly `rows`, each with the zone its week
 * was cut in (the organisation's, or a team's own): puts each row that changed
 * (an hourly re-roll of the current week rewrites only what moved, not
 * every row) and deletes rows of an earlier computation that no longer
 * exist (an author whose only PR moved to another week).
 */
export async function replaceWeeklyMetrics(
  ref: TableRef,
  installationId: number,
  week: string,
  rows: readonly (MetricRow & { timeZone: string })[],
): Promise<void> {
  const stored = new Map(
    (await weekRows(ref, installationId, week, week)).map((item) => [item.row, item]),
  );
  const items = rows.map((row) => ({
    ...keys.weeklyMetrics(installationId, week, row.row),
    installationId,
    week,
    ...row,
  }));
  const keep = new Set(rows.map((row) => row.row));
  await batchWrite(ref, [
    ...items
      .filter((item) => canonicalJson(stored.get(item.row)) !== canonicalJson(item))
      .map((item) => ({ PutRequest: { Item: item } })),
    ...[...stored.keys()]
      .filter((row) => !keep.has(row))
      .map((row) => ({ DeleteRequest: { Key: keys.weeklyMetrics(installationId, week, row) } })),
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
  // The rows as written, without the table's keys.
  return items.map(({ [table.partitionKey]: _partition, [table.sortKey]: _sort, ...row }) =>
    fromBeforeTeams(row as unknown as WeeklyMetricsItem),
  );
}

/**
 * Rows rolled up before "team" meant a GitHub team called the organisation's
 * row `team`: read as the organisation's, until the week is rolled up again
 * (which replaces it).
 */
function fromBeforeTeams(item: WeeklyMetricsItem): WeeklyMetricsItem {
  return item.row === 'team' ? { ...item, row: 'organisation', scope: 'organisation' } : item;
}
