import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { StoredPullRequest, Window } from '../metrics/flow-metrics.ts';
import type { MetricRow } from '../metrics/rollup.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { batchWrite, queryAll, type TableRef } from './table.ts';

const [, openedIndex, closedIndex] = table.indexes;

/** GitHub's timestamps have whole seconds; a second of slack each side, filtered exactly by the metrics. */
const second = 1000;
const bound = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The pull requests a week's rollup needs — entered review, or closed, within
 * the window — as two range queries on the team's indexes: the read grows
 * with the week's PRs, never with the table.
 */
export async function weekPullRequests(
  ref: TableRef,
  installationId: number,
  week: Window,
): Promise<StoredPullRequest[]> {
  const range = (index: { name: string; partitionKey: string; sortKey: string }) =>
    queryAll<StoredPullRequest & Record<string, string>>(ref, {
      IndexName: index.name,
      KeyConditionExpression: '#team = :team AND #at BETWEEN :start AND :end',
      ExpressionAttributeNames: { '#team': index.partitionKey, '#at': index.sortKey },
      ExpressionAttributeValues: {
        ':team': keys.teamPullRequests(installationId),
        ':start': bound(week.start.getTime() - second),
        ':end': bound(week.end.getTime() + second),
      },
    } satisfies Omit<QueryCommandInput, 'TableName'>);
  if (!openedIndex || !closedIndex) throw new Error('table definition lacks the week indexes');
  const [opened, closed] = await Promise.all([range(openedIndex), range(closedIndex)]);
  const unique = new Map<string, StoredPullRequest>();
  for (const item of [...opened, ...closed]) {
    unique.set(`${item[table.partitionKey]}/${item[table.sortKey]}`, {
      ...item,
      closedAt: item.closedAt ?? null,
    });
  }
  return [...unique.values()];
}

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
  return items.map(({ installationId: id, week, timeZone, row, scope, name, metrics }) => ({
    installationId: id,
    week,
    timeZone,
    row,
    scope,
    name,
    metrics,
  }));
}
