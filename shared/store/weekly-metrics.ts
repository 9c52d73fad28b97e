import { canonicalJson } from '../canonical-json.ts';
import type { MetricRow } from '../metrics/rollup.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { batchGet, batchWrite, queryAll, type TableRef } from './table.ts';

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
  return (await weekRows(ref, installationId, from, to)).map(storedRow);
}

/**
 * One row (the organisation's, a team's) of each of `weeks`, oldest week
 * first: one BatchGetItem where a page showing trends over the weeks needs
 * only its head row of each, not every scope's rows of every week.
 */
export async function readWeeklyRow(
  ref: TableRef,
  installationId: number,
  row: string,
  weeks: readonly string[],
): Promise<WeeklyMetricsItem[]> {
  // Rows of weeks rolled up before "team" meant a GitHub team are under `team` (below).
  const rows = row === 'organisation' ? [row, 'team'] : [row];
  const items = await batchGet(
    ref,
    weeks.flatMap((week) => rows.map((name) => keys.weeklyMetrics(installationId, week, name))),
  );
  return items.map(storedRow).sort((a, b) => a.week.localeCompare(b.week));
}

/** A row as written, without the table's keys. */
function storedRow({
  [table.partitionKey]: _partition,
  [table.sortKey]: _sort,
  ...row
}: Record<string, unknown>): WeeklyMetricsItem {
  return fromBeforeTeams(row as unknown as WeeklyMetricsItem);
}

/**
 * Rows rolled up before "team" meant a GitHub team called the organisation's
 * row `team`: read as the organisation's, until the week is rolled up again
 * (which replaces it).
 */
function fromBeforeTeams(item: WeeklyMetricsItem): WeeklyMetricsItem {
  return item.row === 'team' ? { ...item, row: 'organisation', scope: 'organisation' } : item;
}
