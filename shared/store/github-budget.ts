import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import { conditionalWrite, isConditionFailure, type TableRef } from './table.ts';

/**
 * One GitHub GraphQL budget per installation, shared by all its sync
 * workers: GitHub's last word on what is left (`remaining` points until
 * `resetAt`, epoch ms), lowered further by what workers have claimed for
 * chunks in flight. Workers claim before each chunk and record GitHub's
 * reading after it, so together they never spend below the reserve, and
 * when it runs low every repository of the installation waits for the same
 * reset.
 */
export interface GitHubBudget {
  remaining: number;
  resetAt: number;
  updatedAt: string;
}

export async function readBudget(
  ref: TableRef,
  installationId: number,
): Promise<GitHubBudget | null> {
  const { Item } = await ref.db.send(
    new GetCommand({ TableName: ref.tableName, Key: keys.githubBudget(installationId) }),
  );
  return Item
    ? { remaining: Item.remaining, resetAt: Item.resetAt, updatedAt: Item.updatedAt }
    : null;
}

const minuteMs = 60_000;

/**
 * GraphQL requests an installation's workers make in one calendar minute
 * at most. GitHub's secondary limit is 2,000 points (a query is one) in
 * any minute, and any sixty seconds span two calendar minutes: half of it
 * each keeps every such span under the limit.
 */
export const requestsPerMinute = 1000;

/**
 * Counts one request into the installation's current minute, while the
 * minute stays within `perMinute`: GitHub's secondary limit counts a GraphQL
 * query (without mutations) as one point, 2,000 a minute at most. A counter
 * item per minute, gone by TTL soon after.
 */
async function claimMinute(
  ref: TableRef,
  installationId: number,
  perMinute: number,
  now: Date,
): Promise<boolean> {
  const minute = Math.floor(now.getTime() / minuteMs);
  return conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.githubMinute(installationId, minute),
        UpdateExpression: 'ADD points :one SET expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(points) OR points <= :most',
        ExpressionAttributeValues: {
          ':one': 1,
          ':most': perMinute - 1,
          ':expires': Math.floor(((minute + 2) * minuteMs) / 1000),
        },
      }),
    ),
  );
}

/**
 * Claims `cost` points for a chunk: one of the minute's `perMinute` requests
 * (refused until the next minute), and from a live window while at least
 * `reserve` would be left; granted without a budget claim when nothing is
 * known yet or the window has reset (the chunk's reading starts the new
 * one); refused with the instant to wait for otherwise.
 */
export async function claimBudget(
  ref: TableRef,
  installationId: number,
  claim: { cost: number; reserve: number; perMinute: number },
  now: Date,
): Promise<{ granted: true } | { granted: false; resetAt: number }> {
  if (!(await claimMinute(ref, installationId, claim.perMinute, now)))
    return { granted: false, resetAt: (Math.floor(now.getTime() / minuteMs) + 1) * minuteMs };
  try {
    await ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.githubBudget(installationId),
        UpdateExpression: 'SET remaining = remaining - :cost, updatedAt = :now',
        ConditionExpression: 'resetAt > :nowMs AND remaining >= :floor',
        ExpressionAttributeValues: {
          ':cost': claim.cost,
          ':floor': claim.reserve + claim.cost,
          ':now': now.toISOString(),
          ':nowMs': now.getTime(),
        },
      }),
    );
    return { granted: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const budget = await readBudget(ref, installationId);
    if (!budget || budget.resetAt <= now.getTime()) return { granted: true };
    return { granted: false, resetAt: budget.resetAt };
  }
}

/**
 * Records what GitHub said after a request: a later window replaces the
 * budget; within the same window only a lower figure does (responses and
 * claims arrive out of order; the lowest is the safe one).
 */
export async function recordBudget(
  ref: TableRef,
  installationId: number,
  reading: { remaining: number; resetAt: number },
  now: Date,
): Promise<void> {
  try {
    await ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.githubBudget(installationId),
        UpdateExpression: 'SET remaining = :remaining, resetAt = :resetAt, updatedAt = :now',
        ConditionExpression:
          'attribute_not_exists(resetAt) OR resetAt < :resetAt OR (resetAt = :resetAt AND remaining > :remaining)',
        ExpressionAttributeValues: {
          ':remaining': reading.remaining,
          ':resetAt': reading.resetAt,
          ':now': now.toISOString(),
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
