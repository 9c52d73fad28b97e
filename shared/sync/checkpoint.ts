import type { RepositoryRecord } from '../store/installations.ts';
import type { SyncStatus } from '../store/sync-status.ts';
import type { Completeness } from './completeness.ts';
import type { DeliveryCheckpoint } from './delivery-stream.ts';

/**
 * What is still to read of a PR: where its reviews and commits continue (a
 * cursor is absent once that connection is read), and whether its assignees
 * are. Only an AI agent's PR needs its assignees (the people it counts for);
 * asked of every PR on the page, they would cost a point more per page (a
 * nested connection costs a request per PR), asked here they ride along.
 */
export interface FollowUp {
  number: number;
  reviewsAfter?: string | undefined;
  commitsAfter?: string | undefined;
  assignees?: boolean | undefined;
  /** The PR's last update when the run met it: a recent phase waits only for those since its edge. */
  updatedAt?: string | undefined;
}

/** The stored form of a follow-up: compared, never parsed, by the merge's condition. */
export function followUpMark(followUp: FollowUp | null): string | undefined {
  if (!followUp) return undefined;
  const cursors = [followUp.reviewsAfter ?? null, followUp.commitsAfter ?? null];
  // Marks stored before assignees were read keep their form.
  return JSON.stringify(followUp.assignees ? [...cursors, true] : cursors);
}

export function parseFollowUpMark(number: number, mark: string): FollowUp {
  const [reviewsAfter, commitsAfter, assignees] = JSON.parse(mark) as [
    string | null,
    string | null,
    true?,
  ];
  return {
    number,
    reviewsAfter: reviewsAfter ?? undefined,
    commitsAfter: commitsAfter ?? undefined,
    ...(assignees ? { assignees } : {}),
  };
}

/**
 * A repository's sync state lives on its repository item: the progress an
 * operator reads, the checkpoint a worker resumes from, and the lease that
 * keeps two workers off one repository. Every change is a conditional
 * update on the lease owner and the checkpoint version.
 */
export interface SyncState {
  syncStatus?: SyncStatus;
  syncMode?: 'backfill' | 'incremental';
  /**
   * A first backfill's phase (`recent-history.ts`): `recent` until every
   * stream is read back to `syncRecentSince`, then `deep` for the rest of
   * the window; null for a run in one phase.
   */
  syncPhase?: 'recent' | 'deep' | null;
  /** Where the run's recent phase ends. */
  syncRecentSince?: string | null;
  /**
   * Every PR and delivery fact updated since this is stored: the recent
   * edge once the recent phase is done, the window's start (for the full
   * history, the oldest PR's last update) once the backfill is; unset
   * until then.
   */
  syncCompleteSince?: string | null;
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
  /** The last part of an answer GitHub refused or could not find (read as absent) in this run. */
  syncNote?: string | null;
  syncPageSize?: number;
  syncVersion?: number;
  syncLeaseOwner?: string | null;
  syncLeaseUntil?: number | null;
  /** Idempotency key of the job that started the current run. */
  syncLastJobKey?: string;
  syncRequests?: number;
  syncPoints?: number;
  /** Held back from the sync queue until its installation lets it in (`sync-admission.ts`). */
  syncPending?: boolean | null;
  /** Let in (epoch ms) and not yet taken up by a worker: the run holds its place (`sync-admission.ts`). */
  syncAdmittedAt?: number | null;
  /** Where the run's delivery stream (deployments, default branch, incidents) continues; null once read. */
  syncDelivery?: DeliveryCheckpoint | null;
  /**
   * The completeness check the run ends with (`completeness.ts`): PRs
   * updated since `since` (null: the whole history), `github` as GitHub
   * counted them at the run's first chunk (null until then, or if it did
   * not answer), `readsWholeWindow` for a backfill or a re-sync; null for
   * a run that checks nothing.
   */
  syncCheck?: { since: string | null; github: number | null; readsWholeWindow: boolean } | null;
  /** The reconciliation asked for the window's PRs to be read again: the next run to start does. */
  syncResync?: boolean | null;
  /** The last completeness check, kept across runs. */
  completeness?: Completeness | null;
}

export type SyncedRepository = RepositoryRecord & SyncState;

/** The lease's holder-to-be while a continuation is on its way: named by the job's key. */
export function leaseSuccessor(continuationKey: string): string {
  return `continuation:${continuationKey}`;
}
