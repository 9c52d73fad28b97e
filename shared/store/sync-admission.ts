import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency.ts';
import { listRepositories, type RepositoryRecord } from './installations.ts';
import { keys } from './keys.ts';
import { isConditionFailure, type TableRef } from './table.ts';

/**
 * Fair scheduling across installations: an installation's syncs enter the
 * sync queue a few at a time, the rest held back on their repository items
 * (`syncPending`) and let in one by one as earlier ones end, each ending
 * run handing its place on. A large installation's hundreds of
 * repositories then never stand in the queue before a small one's first
 * syncs: each installation has at most this many waiting there at once
 * (SQS standard queues hand out roughly in order, and the sync worker's
 * concurrency is capped).
 *
 * Runs starting — a first backfill's recent part, an incremental sync — are
 * a few chunks each: as many at once as the deployed workers take, so a
 * newcomer waits about one round of them. A first backfill's deep phase, a
 * chain of continuations as long as the repository's history, comes in a
 * few at once, and only once no repository of the installation is still to
 * start or reading its recent part (recent first: `sync/recent-history.ts`).
 */
export const startingAtOnce = 10;
export const deepAtOnce = 3;

/** What admission reads of a repository's sync state (written by `sync/checkpoint.ts`). */
type Admissible = RepositoryRecord & {
  syncPending?: boolean | null;
  syncStatus?: string;
  syncPhase?: string | null;
  syncLastJobKey?: string;
};

/** A repository let in: to start a run, or (`continuing`, the key of the run's job) to carry a parked one on. */
export type Admitted = Pick<RepositoryRecord, 'repositoryId' | 'fullName'> & {
  continuing?: string;
};

/** The repositories that go into the queue now, and those held back, in the order given. */
export function admission<Repository>(repositories: readonly Repository[]): {
  admitted: Repository[];
  heldBack: Repository[];
} {
  return {
    admitted: repositories.slice(0, startingAtOnce),
    heldBack: repositories.slice(startingAtOnce),
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
 * Lets the installation's held-back repositories in, lowest id first: the
 * next run to start in the place of `ending` (a run that ended or parked,
 * its state recorded); else, once every repository has its recent part,
 * parked deep phases up to `deepAtOnce` under way. Without `ending` (a
 * restarted local stack) it fills every place free. Each mark is cleared
 * with a conditional write, so two workers ending at once never let the
 * same one in twice; the runs under way are read consistently, so of two
 * ending at once at least one sees the other's end.
 */
export async function admitNext(
  ref: TableRef,
  installationId: number,
  ending?: number,
): Promise<Admitted[]> {
  const repositories = (await listRepositories(ref, installationId, {
    consistent: true,
  })) as Admissible[];
  const active = repositories.filter((repo) => repo.active);
  // The one parking may be the next let in; it is not counted among the runs under way.
  const held = active
    .filter((repo) => repo.syncPending === true)
    .sort((a, b) => a.repositoryId - b.repositoryId);
  const underWay = (repo: Admissible) =>
    repo.syncStatus === 'syncing' || repo.syncStatus === 'waiting';
  const running = active.filter(
    (repo) => repo.repositoryId !== ending && repo.syncPending !== true && underWay(repo),
  );
  // Held back before its run began; a parked deep phase is held back with its run under way.
  const starting = held.filter((repo) => !underWay(repo));
  if (starting.length > 0)
    return letIn(
      ref,
      installationId,
      starting,
      ending === undefined ? startingAtOnce - running.length : 1,
    );
  if (running.some((repo) => repo.syncPhase !== 'deep')) return [];
  return letIn(ref, installationId, held, deepAtOnce - running.length);
}

/** Clears the marks of the first `room` of `held` it wins, and returns those. */
async function letIn(
  ref: TableRef,
  installationId: number,
  held: readonly Admissible[],
  room: number,
): Promise<Admitted[]> {
  const admitted: Admitted[] = [];
  for (const repo of held) {
    if (admitted.length >= room) break;
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
      const parked = repo.syncStatus === 'syncing' || repo.syncStatus === 'waiting';
      admitted.push({
        repositoryId: repo.repositoryId,
        fullName: repo.fullName,
        ...(parked && { continuing: repo.syncLastJobKey ?? `repository:${repo.repositoryId}` }),
      });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  return admitted;
}
