import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

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

/** DynamoDB takes at most 100 keys per BatchGetItem, and 25 writes per BatchWriteItem. */
const maxBatchGet = 100;
const maxBatchWrite = 25;

/**
 * Sends `requests` in batches of `size`, sending again with backoff what
 * DynamoDB answers unprocessed; throws if some are still left after 9 tries.
 */
async function sendInBatches<Request>(
  requests: readonly Request[],
  size: number,
  what: string,
  send: (batch: Request[]) => Promise<Request[]>,
): Promise<void> {
  for (let start = 0; start < requests.length; start += size) {
    let batch = requests.slice(start, start + size);
    for (let attempt = 0; batch.length > 0; attempt++) {
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 25 * 2 ** attempt)));
      if (attempt > 8)
        throw new Error(`[flowmeter] ${batch.length} ${what} left unprocessed by DynamoDB`);
      batch = await send(batch);
    }
  }
}

/** The items of `itemKeys` that exist (eventually consistent), in no particular order. */
export async function batchGet(
  { db, tableName }: TableRef,
  itemKeys: readonly Record<string, string>[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  await sendInBatches(itemKeys, maxBatchGet, 'reads', async (wanted) => {
    const result = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: wanted } } }),
    );
    items.push(...(result.Responses?.[tableName] ?? []));
    return (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[];
  });
  return items;
}

/** Puts and deletes in batches. */
export async function batchWrite(
  { db, tableName }: TableRef,
  writes: readonly WriteRequest[],
): Promise<void> {
  await sendInBatches(writes, maxBatchWrite, 'writes', async (requests) => {
    const result = await db.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
    );
    return result.UnprocessedItems?.[tableName] ?? [];
  });
}
