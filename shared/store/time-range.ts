import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { queryAll, type TableRef } from './table.ts';

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
  between?: { from: Date; to: Date },
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
