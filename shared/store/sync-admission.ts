import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency.ts';
import { listRepositories, type RepositoryRecord } from './installations.ts';
import { keys } from './keys.ts';
import { runUnderWay, type SyncStatus } from './sync-status.ts';
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
/**
 * How long a let-in run holds its place before a worker takes it up. Its
 * job may stand behind other installations' in the queue for a while; a
 * job that never arrives (sent to the dead-letter queue) gives the place
 * back after this rather than holding it for ever.
 */
export const admittedHoldsMs = 60 * 60_000;

/** What admission reads of a repository's sync state (written by `sync/checkpoint.ts`, above this layer). */
type Admissible = RepositoryRecord & {
  syncPending?: boolean | null;
  syncStatus?: SyncStatus;
  syncPhase?: string | null;
  syncLastJobKey?: string;
  syncLeaseUntil?: number | null;
  syncAdmittedAt?: number | null;
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

/**
 * Records `admission`'s answer on the recorded repositories: the admitted
 * hold their places until a worker takes them up, the rest are held back
 * until a sync of their installation ends and lets them in.
 */
export async function recordAdmission(
  ref: TableRef,
  installationId: number,
  { admitted, heldBack }: { admitted: readonly number[]; heldBack: readonly number[] },
  now: Date,
): Promise<void> {
  const marks = [
    ...admitted.map((repositoryId) => ({
      repositoryId,
      update: 'SET syncAdmittedAt = :mark REMOVE syncPending',
      mark: now.getTime(),
    })),
    ...heldBack.map((repositoryId) => ({
      repositoryId,
      update: 'SET syncPending = :mark',
      mark: true,
    })),
  ];
  await mapWithConcurrency(marks, 8, async ({ repositoryId, update, mark }) => {
    try {
      await ref.db.send(
        new UpdateCommand({
          TableName: ref.tableName,
          Key: keys.repository(installationId, repositoryId),
          UpdateExpression: update,
          ConditionExpression: 'attribute_exists(fullName)',
          ExpressionAttributeValues: { ':mark': mark },
        }),
      );
    } catch (error) {
      // Not recorded (yet): nothing to mark; the daily reconciliation covers it.
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
  nowMs = Date.now(),
): Promise<Admitted[]> {
  const repositories = (await listRepositories(ref, installationId, {
    consistent: true,
  })) as Admissible[];
  const active = repositories.filter((repo) => repo.active);
  // The one parking may be the next let in; it is not counted among the runs under way.
  const held = active
    .filter((repo) => repo.syncPending === true)
    .sort((a, b) => a.repositoryId - b.repositoryId);
  // A run holds a place while a worker holds its lease (a crashed worker's lease runs out),
  // and from being let in until a worker takes it up (`acquireSyncLease` clears the mark).
  const holdsPlace = (repo: Admissible) =>
    (runUnderWay(repo) && (repo.syncLeaseUntil ?? 0) > nowMs) ||
    (repo.syncAdmittedAt ?? 0) > nowMs - admittedHoldsMs;
  const running = active.filter(
    (repo) => repo.repositoryId !== ending && repo.syncPending !== true && holdsPlace(repo),
  );
  // Held back before its run began; a parked deep phase is held back with its run under way.
  const starting = held.filter((repo) => !runUnderWay(repo));
  if (starting.length > 0)
    return letIn(
      ref,
      installationId,
      starting,
      ending === undefined ? startingAtOnce - running.length : 1,
      nowMs,
    );
  if (running.some((repo) => repo.syncPhase !== 'deep')) return [];
  return letIn(ref, installationId, held, deepAtOnce - running.length, nowMs);
}

/** Clears the marks of the first `room` of `held` it wins, and returns those. */
async function letIn(
  ref: TableRef,
  installationId: number,
  held: readonly Admissible[],
  room: number,
  nowMs: number,
): Promise<Admitted[]> {
  const admitted: Admitted[] = [];
  for (const repo of held) {
    if (admitted.length >= room) break;
    try {
      await ref.db.send(
        new UpdateCommand({
          TableName: ref.tableName,
          Key: keys.repository(installationId, repo.repositoryId),
          UpdateExpression: 'REMOVE syncPending SET syncAdmittedAt = :now',
          ConditionExpression: 'syncPending = :true',
          ExpressionAttributeValues: { ':true': true, ':now': nowMs },
        }),
      );
      const parked = runUnderWay(repo);
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
