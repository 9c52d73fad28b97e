import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { queryAll, type TableRef } from './table.ts';

/** Two times, both included: the range a repository's time-ordered items are read over. */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** Whether an item made at `at` is one a read of `range` returns: what a wider read keeps for a narrower one. */
export function inTimeRange(at: string, range: TimeRange): boolean {
  const time = Date.parse(at);
  return time >= range.from.getTime() && time <= range.to.getTime();
}

/**
 * A repository's items of one time-ordered kind (deployments with their
 * statuses, releases, default-branch commits) between two times, all of
 * them without; only `attributes` when given (each aliased, as some — such
 * as `position` — are DynamoDB reserved words).
 */
export function queryTimeRange<T>(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  kind: Parameters<typeof keys.timeRange>[2],
  between?: TimeRange,
  attributes?: readonly string[],
): Promise<T[]> {
  const range = keys.timeRange(repository.installationId, repository.repositoryId, kind, between);
  const aliases = Object.fromEntries((attributes ?? []).map((name, index) => [`#a${index}`, name]));
  return queryAll<T>(ref, {
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey, ...aliases },
    ExpressionAttributeValues: { ':pk': range.partition, ':from': range.from, ':to': range.to },
    ...(attributes ? { ProjectionExpression: Object.keys(aliases).join(', ') } : {}),
  });
}
