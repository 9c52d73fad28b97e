import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { recordDeliveryPage } from '../store/delivery-history.ts';
import { claimBudget, recordBudget } from '../store/github-budget.ts';
import { deliveryRules, getInstallation, installationStatus } from '../store/installations.ts';
import { keys } from '../store/keys.ts';
import { countPullRequestsSince } from '../store/pull-requests.ts';
import { recordPullRequests } from '../store/record-pull-requests.ts';
import { recordAdmission } from '../store/sync-admission.ts';
import {
  assignments,
  ignoreConditionFailure,
  isConditionFailure,
  type TableRef,
} from '../store/table.ts';
import type { SyncedRepository, SyncState } from './checkpoint.ts';
import type { SyncStore } from './sync-run.ts';

/** Another worker changed the state: this one lost its lease and must stop. */
export class LeaseLostError extends Error {}

/**
 * Takes the repository's lease for `leaseMs`, unless a live lease is held by
 * someone else — or was handed over to `successor` (a continuation's name,
 * `leaseSuccessor`). Returns the repository with its sync state, or why not.
 */
export async function acquireSyncLease(
  { db, tableName }: TableRef,
  repository: { installationId: number; repositoryId: number },
  owner: string,
  nowMs: number,
  leaseMs: number,
  successor?: string,
): Promise<SyncedRepository | 'busy' | 'missing'> {
  try {
    const result = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.repository(repository.installationId, repository.repositoryId),
        // Taken up: the run's lease holds its place from now on, not its admission.
        UpdateExpression:
          'SET syncLeaseOwner = :owner, syncLeaseUntil = :until REMOVE syncAdmittedAt',
        ConditionExpression: `attribute_exists(fullName) AND (attribute_not_exists(syncLeaseUntil) OR syncLeaseUntil < :now OR syncLeaseOwner IN (:owner, :successor))`,
        ExpressionAttributeValues: {
          ':owner': owner,
          ':successor': successor ?? owner,
          ':until': nowMs + leaseMs,
          ':now': nowMs,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes as SyncedRepository;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.repository(repository.installationId, repository.repositoryId),
      }),
    );
    return Item?.fullName ? 'busy' : 'missing';
  }
}

/**
 * Applies `changes` if this worker still holds the lease and the state is at
 * `version`; returns the new version. Throws LeaseLostError otherwise.
 */
export async function updateSyncState(
  { db, tableName }: TableRef,
  repository: { installationId: number; repositoryId: number },
  owner: string,
  version: number,
  changes: SyncState,
): Promise<number> {
  const set = assignments(changes);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.repository(repository.installationId, repository.repositoryId),
        UpdateExpression: `SET ${[...set.clauses, 'syncVersion = :next'].join(', ')}`,
        ConditionExpression:
          'syncLeaseOwner = :owner AND (attribute_not_exists(syncVersion) OR syncVersion = :version)',
        ExpressionAttributeNames: Object.keys(set.names).length > 0 ? set.names : undefined,
        ExpressionAttributeValues: {
          ...set.values,
          ':owner': owner,
          ':version': version,
          ':next': version + 1,
        },
      }),
    );
    return version + 1;
  } catch (error) {
    if (isConditionFailure(error))
      throw new LeaseLostError('sync lease lost to another worker', { cause: error });
    throw error;
  }
}

/**
 * Hands a held lease to the continuation about to be queued, until `untilMs`:
 * picked up at once, even before this worker has returned, the continuation
 * takes it; anyone else finds the repository busy. This worker writes nothing
 * more to the repository afterwards.
 */
export async function handOverSyncLease(
  { db, tableName }: TableRef,
  repository: { installationId: number; repositoryId: number },
  owner: string,
  successor: string,
  untilMs: number,
): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.repository(repository.installationId, repository.repositoryId),
        UpdateExpression: 'SET syncLeaseOwner = :successor, syncLeaseUntil = :until',
        ConditionExpression: 'syncLeaseOwner = :owner',
        ExpressionAttributeValues: { ':owner': owner, ':successor': successor, ':until': untilMs },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error))
      throw new LeaseLostError('sync lease lost to another worker', { cause: error });
    throw error;
  }
}

/** Gives the lease back so the next message for this repository need not wait it out. */
export async function releaseSyncLease(
  { db, tableName }: TableRef,
  repository: { installationId: number; repositoryId: number },
  owner: string,
): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.repository(repository.installationId, repository.repositoryId),
        UpdateExpression: 'REMOVE syncLeaseOwner, syncLeaseUntil',
        ConditionExpression: 'syncLeaseOwner = :owner',
        ExpressionAttributeValues: { ':owner': owner },
      }),
    )
    .catch(ignoreConditionFailure);
}

/**
 * Drops a lease whatever its owner, and lets the run in again (it holds its
 * place until a worker takes it up: `sync-admission.ts`). Only for a
 * restarted local stack, which knows that no worker of the process before
 * it survived.
 */
export async function forgetSyncLease(
  { db, tableName }: TableRef,
  repository: { installationId: number; repositoryId: number },
  nowMs = Date.now(),
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.repository(repository.installationId, repository.repositoryId),
      UpdateExpression: 'REMOVE syncLeaseOwner, syncLeaseUntil SET syncAdmittedAt = :now',
      ExpressionAttributeValues: { ':now': nowMs },
    }),
  );
}

/**
 * Asks for the window's PRs to be read again by the repositories' next runs
 * (`syncResync`, read when a run starts), then holds them back for their
 * installation to let in (`sync-admission.ts`). Marked first: a crash
 * between the two leaves a mark whichever run starts next acts on.
 */
export async function holdBackForResync(
  ref: TableRef,
  installationId: number,
  repositoryIds: readonly number[],
): Promise<void> {
  for (const repositoryId of repositoryIds) {
    await ref.db
      .send(
        new UpdateCommand({
          TableName: ref.tableName,
          Key: keys.repository(installationId, repositoryId),
          UpdateExpression: 'SET syncResync = :true',
          ConditionExpression: 'attribute_exists(fullName)',
          ExpressionAttributeValues: { ':true': true },
        }),
      )
      .catch(ignoreConditionFailure);
  }
  await recordAdmission(ref, installationId, { admitted: [], heldBack: repositoryIds }, new Date());
}

/** The sync's store as DynamoDB keeps it: the repository item's state, and the PR items. */
export function tableSyncStore(table: TableRef): SyncStore {
  return {
    acquireLease: (repository, owner, nowMs, leaseMs, successor) =>
      acquireSyncLease(table, repository, owner, nowMs, leaseMs, successor),
    handOverLease: (repository, owner, successor, untilMs) =>
      handOverSyncLease(table, repository, owner, successor, untilMs),
    updateState: (repository, owner, version, changes) =>
      updateSyncState(table, repository, owner, version, changes),
    releaseLease: (repository, owner) => releaseSyncLease(table, repository, owner),
    installationStatus: (installationId) => installationStatus(table, installationId),
    recordPullRequests: (learned, now) => recordPullRequests(table, learned, now),
    countPullRequests: (repository, since) => countPullRequestsSince(table, repository, since),
    recordDelivery: async (repository, page, now) => {
      const installation = await getInstallation(table, repository.installationId);
      const { incidentRules } = deliveryRules(installation ?? {});
      await recordDeliveryPage(table, repository, page, incidentRules.labelPattern, now);
    },
    claimBudget: (installationId, claim, now) => claimBudget(table, installationId, claim, now),
    recordBudget: (installationId, reading, now) =>
      recordBudget(table, installationId, reading, now),
  };
}
