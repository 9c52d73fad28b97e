import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FollowUp } from '../sync/pull-request-query.ts';
import type { RepositoryRecord } from './installations.ts';
import { keys } from './keys.ts';
import { assignments, ignoreConditionFailure, isConditionFailure, type TableRef } from './table.ts';

/**
 * A repository's sync state lives on its repository item: the progress an
 * operator reads, the checkpoint a worker resumes from, and the lease that
 * keeps two workers off one repository. Every change is a conditional
 * update on the lease owner and the checkpoint version.
 */
export type SyncStatus = 'queued' | 'syncing' | 'waiting' | 'complete' | 'failed';

export interface SyncState {
  syncStatus?: SyncStatus;
  syncMode?: 'backfill' | 'incremental';
  /** Where the next chunk starts; null at the start of a run. */
  syncCursor?: string | null;
  /** Every page of the run is read; only follow-ups remain. */
  syncPagesRead?: boolean;
  /** Stored PRs whose further reviews / commits the next chunk reads. */
  syncFollowUps?: FollowUp[];
  /** The run stops at PRs last updated before this (window edge or previous watermark). */
  syncSince?: string | null;
  /** PRs updated at or after this are fetched by the next incremental sync. */
  syncWatermark?: string | null;
  syncRunStartedAt?: string;
  /**
   * PRs in scope: the repository's `totalCount` for a full-history backfill,
   * GitHub search's count of PRs updated since `syncSince` for a window;
   * null until the first chunk, or if the search did not answer.
   */
  syncTotal?: number | null;
  syncCompleted?: number;
  /** Oldest `updatedAt` stored by this run: progress through a time window. */
  syncOldestSeen?: string | null;
  syncFinishedAt?: string | null;
  syncWaitUntil?: string | null;
  syncLastError?: string | null;
  syncPageSize?: number;
  syncVersion?: number;
  syncLeaseOwner?: string | null;
  syncLeaseUntil?: number | null;
  /** Idempotency key of the job that started the current run. */
  syncLastJobKey?: string;
  syncRequests?: number;
  syncPoints?: number;
}

export type SyncedRepository = RepositoryRecord & SyncState;

/** Another worker changed the state: this one lost its lease and must stop. */
export class LeaseLostError extends Error {}

/**
 * Takes the repository's lease for `leaseMs`, unless a live lease is held by
 * someone else. Returns the repository with its sync state, or why not.
 */
export async function acquireSyncLease(
  { db, tableName }: TableRef,
  repository: { installationId: number; repositoryId: number },
  owner: string,
  nowMs: number,
  leaseMs: number,
): Promise<SyncedRepository | 'busy' | 'missing'> {
  try {
    const result = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.repository(repository.installationId, repository.repositoryId),
        UpdateExpression: 'SET syncLeaseOwner = :owner, syncLeaseUntil = :until',
        ConditionExpression:
          'attribute_exists(fullName) AND (attribute_not_exists(syncLeaseUntil) OR syncLeaseUntil < :now OR syncLeaseOwner = :owner)',
        ExpressionAttributeValues: { ':owner': owner, ':until': nowMs + leaseMs, ':now': nowMs },
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
 * Drops a lease whatever its owner. Only for a restarted local stack, which
 * knows that no worker of the process before it survived.
 */
export async function forgetSyncLease(
  { db, tableName }: TableRef,
  repository: { installationId: number; repositoryId: number },
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.repository(repository.installationId, repository.repositoryId),
      UpdateExpression: 'REMOVE syncLeaseOwner, syncLeaseUntil',
    }),
  );
}
