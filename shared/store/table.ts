import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

/** What every store module needs: a document client and the table's name. */
export interface TableRef {
  db: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
}

/** True for the error DynamoDB raises when a condition expression is false. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * A conditional write whose false condition means "nothing to do": true
 * once it is done, false when its condition refused it; anything else is
 * thrown.
 */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    ignoreConditionFailure(error);
    return false;
  }
}

/**
 * For a conditional write whose false condition means "nothing to do" (the
 * claim was already released, the mark renewed): rethrows anything else.
 */
export function ignoreConditionFailure(error: unknown): void {
  if (!isConditionFailure(error)) throw error;
}

/**
 * How a write of GitHub's facts (a webhook's copy, or a sync's) keeps
 * whichever state is newer: it holds when the item keeps no time under
 * `attribute`, or one not newer than the copy's (`value`, a placeholder); an
 * equal one holds, so a redelivery after a crash finishes what its first
 * attempt began. The times are GitHub's, as ISO text of one form, so they
 * compare as strings.
 */
export function notNewerThan(attribute: string, value: string): string {
  return `(attribute_not_exists(${attribute}) OR ${attribute} <= ${value})`;
}

/** Follows LastEvaluatedKey until the query is exhausted. */
export async function queryAll<T>(
  { db, tableName }: TableRef,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export interface Assignments {
  /** `#f0 = :v0, #f1 = :v1, ...`, for a SET clause. */
  clauses: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** SET assignments for every defined field of `fields` (undefined ones are left as stored). */
export function assignments(fields: object): Assignments {
  const result: Assignments = { clauses: [], names: {}, values: {} };
  Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .forEach(([field, value], index) => {
      result.names[`#f${index}`] = field;
      result.values[`:v${index}`] = value;
      result.clauses.push(`#f${index} = :v${index}`);
    });
  return result;
}

/** A REMOVE of these attributes with placeholder names (`#r0`…, beside `assignments`' `#f0`…); empty when none. */
export function removals(attributes: readonly string[]): {
  clause: string;
  names: Record<string, string>;
} {
  const names = Object.fromEntries(attributes.map((name, index) => [`#r${index}`, name]));
  const clause = attributes.length === 0 ? '' : ` REMOVE ${Object.keys(names).join(', ')}`;
  return { clause, names };
}

export type WriteRequest = NonNullable<
  ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']
>[string][number];

/** DynamoDB takes at most 25 writes per BatchWriteItem. */
const maxBatchWrite = 25;

/**
 * Puts and deletes in batches of 25, retrying what DynamoDB leaves
 * unprocessed with backoff; throws if some are still left after 9 tries.
 */
export async function batchWrite(
  { db, tableName }: TableRef,
  writes: readonly WriteRequest[],
): Promise<void> {
  for (let start = 0; start < writes.length; start += maxBatchWrite) {
    let requests = writes.slice(start, start + maxBatchWrite);
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 25 * 2 ** attempt)));
      if (attempt > 8)
        throw new Error(`[flowmeter] ${requests.length} writes left unprocessed by DynamoDB`);
      const result = await db.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = result.UnprocessedItems?.[tableName] ?? [];
    }
  }
}
