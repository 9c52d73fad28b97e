import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency.ts';
import { listRepositories, type RepositoryRecord } from './installations.ts';
import { keys } from './keys.ts';
import { isConditionFailure, type TableRef } from './table.ts';

/**
 * Fair scheduling across installations: an installation's first syncs enter
 * the sync queue a few at a time, the rest held back on their repository
 * items (`syncPending`) and let in one by one as earlier syncs end. A large
 * installation's hundreds of repositories then never stand in the queue
 * before a small one's first syncs: each installation has at most this many
 * waiting there at once (SQS standard queues hand out roughly in order, and
 * the sync worker's concurrency is capped).
 */
export const admittedAtOnce = 3;

/** The repositories that go into the queue now, and those held back, in the order given. */
export function admission<Repository>(repositories: readonly Repository[]): {
  admitted: Repository[];
  heldBack: Repository[];
} {
  return {
    admitted: repositories.slice(0, admittedAtOnce),
    heldBack: repositories.slice(admittedAtOnce),
  };
}

/** Holds these recorded repositories back until a sync of their installation ends and lets one in. */
export async function holdBack(
  ref: TableRef,
  installationId: number,
  repositoryIds: readonly number[],
): Promise<void> {
  await mapWithConcurrency(repositoryIds, 8, async (repositoryId) => {
    try {
      await ref.db.send(
        new UpdateCommand({
          TableName: ref.tableName,
          Key: keys.repository(installationId, repositoryId),
          UpdateExpression: 'SET syncPending = :true',
          ConditionExpression: 'attribute_exists(fullName)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    } catch (error) {
      // Not recorded (yet): nothing to hold back; the daily reconciliation covers it.
      if (!isConditionFailure(error)) throw error;
    }
  });
}

/**
 * Lets the installation's next held-back repository in (lowest id first):
 * clears its mark with a conditional write, so two workers ending at once
 * never let the same one in twice. Null when none is held back.
 */
export async function admitNext(
  ref: TableRef,
  installationId: number,
): Promise<Pick<RepositoryRecord, 'repositoryId' | 'fullName'> | null> {
  const held = (await listRepositories(ref, installationId))
    .filter((repo) => (repo as { syncPending?: boolean }).syncPending === true && repo.active)
    .sort((a, b) => a.repositoryId - b.repositoryId);
  for (const repo of held) {
    try {
      await ref.db.send(
        new UpdateCommand({
          TableName: ref.tableName,
          Key: keys.repository(installationId, repo.repositoryId),
          UpdateExpression: 'REMOVE syncPending',
          ConditionExpression: 'syncPending = :true',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
      return { repositoryId: repo.repositoryId, fullName: repo.fullName };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  return null;
}
