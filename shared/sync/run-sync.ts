import { isoWeek, weeksTouched } from '../metrics/weeks.ts';
import type { SyncCompleted } from '../queue/sync-completed.ts';
import type { SyncJob } from '../queue/sync-job.ts';
import { markWeeksDirty } from '../store/dirty-weeks.ts';
import { installationStatus } from '../store/installations.ts';
import { recordMembers } from '../store/members.ts';
import { mergeFollowUp, putPullRequests } from '../store/pull-requests.ts';
import type { TableRef } from '../store/table.ts';
import {
  type FollowUp,
  followUpMark,
  parseFollowUpMark,
  type SyncedRepository,
  type SyncState,
} from './checkpoint.ts';
import {
  type Chunk,
  fetchChunk,
  type Graphql,
  HeavyQueryError,
  RateLimitedError,
  RepositoryGoneError,
} from './fetch-chunk.ts';
import { acquireSyncLease, releaseSyncLease, updateSyncState } from './sync-state.ts';

export interface SyncSettings {
  /** Backfill window in days; 0 = full history. */
  daysBack: number;
  /** GraphQL points kept for webhook-driven work; below it the sync waits for the reset. */
  reserve: number;
  /** How long a lease holds; longer than one invocation. */
  leaseMs: number;
  /** Stop taking new chunks when less than this much time remains. */
  stopWithMs: number;
  maxPageSize: number;
  minPageSize: number;
}

export const defaultSyncSettings: SyncSettings = {
  daysBack: 90,
  reserve: 100,
  leaseMs: 330_000,
  stopWithMs: 60_000,
  maxPageSize: 50,
  minPageSize: 5,
};

/** Steps inside a chunk, named so tests can crash the worker at each. */
export type SyncStep = 'fetched' | 'stored' | 'advanced';

export interface SyncDependencies {
  table: TableRef;
  graphqlFor: (installationId: number) => Graphql;
  /** Queues a job for this repository again, after `delaySeconds` (≤ 900, SQS's maximum). */
  enqueue: (job: SyncJob, delaySeconds: number) => Promise<void>;
  /** Sends an event to the notifications queue. */
  notify: (event: SyncCompleted) => Promise<void>;
  now: () => number;
  remainingMs: () => number;
  /** Identifies this invocation as lease owner. */
  owner: string;
  settings: SyncSettings;
  /** Adds to one of the sync's operational metrics (CloudWatch, through Powertools, in AWS). */
  count: (metric: SyncMetric, value: number) => void;
  onStep?: (step: SyncStep) => void;
}

/** What the sync reports to the operators' dashboard. */
export type SyncMetric = 'PullRequestsSynced' | 'Chunks' | 'GitHubPoints' | 'RateLimitWaits';

export type SyncOutcome =
  | 'complete'
  | 'continued'
  | 'waiting'
  | 'failed'
  | 'busy'
  | 'skipped'
  | 'duplicate';

/** Allowed clock skew between GitHub's `updatedAt` and ours when setting the watermark. */
const watermarkSkewMs = 5 * 60_000;
const maxDelaySeconds = 900;

/**
 * Brings one repository up to date, a chunk at a time, from its checkpoint:
 * fetch → store → advance the checkpoint (conditional on lease and version).
 * Stops with time to spare and queues its own continuation; waits out rate
 * limits with delayed messages; ends permanently failing syncs with a reason.
 */
export async function runSync(job: SyncJob, deps: SyncDependencies): Promise<SyncOutcome> {
  const repository = { installationId: job.installationId, repositoryId: job.repository.id };
  const leased = await acquireSyncLease(
    deps.table,
    repository,
    deps.owner,
    deps.now(),
    deps.settings.leaseMs,
  );
  // Busy: the holder carries the run on and queues its own continuations.
  if (leased === 'busy' || leased === 'missing') return leased === 'busy' ? 'busy' : 'skipped';
  try {
    return await syncLeased(job, leased, deps);
  } finally {
    await releaseSyncLease(deps.table, repository, deps.owner);
  }
}

async function syncLeased(
  job: SyncJob,
  repo: SyncedRepository,
  deps: SyncDependencies,
): Promise<SyncOutcome> {
  const repository = { installationId: job.installationId, repositoryId: job.repository.id };
  let version = repo.syncVersion ?? 0;
  let state: SyncState = { ...repo };
  const save = async (changes: SyncState) => {
    version = await updateSyncState(deps.table, repository, deps.owner, version, changes);
    state = { ...state, ...changes };
  };
  const inProgress = state.syncStatus === 'syncing' || state.syncStatus === 'waiting';

  // Removed from the App, or the installation suspended or deleted: no sync work.
  if (!repo.active || (await installationStatus(deps.table, job.installationId)) !== 'active') {
    if (inProgress) {
      await save({
        syncStatus: 'failed',
        syncLastError: 'repository removed from the App or installation not active',
        syncFinishedAt: new Date(deps.now()).toISOString(),
        syncCursor: null,
      });
    }
    return 'skipped';
  }
  if (!inProgress) {
    if (job.trigger === 'continuation') return 'skipped';
    if (state.syncLastJobKey === job.idempotencyKey) return 'duplicate';
    const now = deps.now();
    const windowStart =
      deps.settings.daysBack > 0
        ? new Date(now - deps.settings.daysBack * 86_400_000).toISOString()
        : null;
    const incremental = Boolean(state.syncWatermark);
    await save({
      syncStatus: 'syncing',
      syncMode: incremental ? 'incremental' : 'backfill',
      syncCursor: null,
      syncPagesRead: false,
      syncFollowUps: [],
      syncSince: incremental ? (state.syncWatermark ?? null) : windowStart,
      syncRunStartedAt: new Date(now).toISOString(),
      syncTotal: null,
      syncCompleted: 0,
      syncOldestSeen: null,
      syncFinishedAt: null,
      syncWaitUntil: null,
      syncLastError: null,
      syncPageSize: state.syncPageSize ?? deps.settings.maxPageSize,
      syncLastJobKey: job.idempotencyKey,
      syncRequests: 0,
      syncPoints: 0,
    });
  }

  const continueAfter = async (delaySeconds: number): Promise<void> =>
    deps.enqueue(
      {
        ...job,
        idempotencyKey: `${state.syncLastJobKey}:continue:${version}`,
        trigger: 'continuation',
        requestedAt: new Date(deps.now()).toISOString(),
      },
      Math.min(maxDelaySeconds, Math.max(0, Math.ceil(delaySeconds))),
    );

  // Waiting for a rate-limit reset: hop again if it is still ahead (waits longer than 15 min chain).
  const waitUntil = state.syncWaitUntil ? Date.parse(state.syncWaitUntil) : 0;
  if (waitUntil > deps.now()) {
    await continueAfter((waitUntil - deps.now()) / 1000);
    return 'waiting';
  }
  if (state.syncStatus === 'waiting') await save({ syncStatus: 'syncing', syncWaitUntil: null });

  const graphql = deps.graphqlFor(job.installationId);
  const ref = {
    installationId: job.installationId,
    repositoryId: job.repository.id,
    repositoryFullName: repo.fullName,
  };
  let healthyChunks = 0;
  while (deps.remainingMs() > deps.settings.stopWithMs) {
    const pageSize = state.syncPageSize ?? deps.settings.maxPageSize;
    let chunk: Chunk;
    try {
      chunk = await fetchChunk(
        graphql,
        ref,
        state.syncPagesRead
          ? null
          : {
              after: state.syncCursor ?? null,
              size: pageSize,
              // A window's PR count, once per run: progress as PRs done of PRs to do.
              countSince:
                state.syncSince && !state.syncCursor && state.syncTotal == null
                  ? state.syncSince
                  : undefined,
            },
        state.syncFollowUps ?? [],
      );
    } catch (error) {
      if (error instanceof HeavyQueryError && pageSize > deps.settings.minPageSize) {
        healthyChunks = 0;
        await save({ syncPageSize: Math.max(deps.settings.minPageSize, Math.floor(pageSize / 2)) });
        continue;
      }
      if (error instanceof RateLimitedError) {
        deps.count('RateLimitWaits', 1);
        await save({ syncStatus: 'waiting', syncWaitUntil: new Date(error.until).toISOString() });
        await continueAfter((error.until - deps.now()) / 1000);
        return 'waiting';
      }
      if (error instanceof RepositoryGoneError) {
        await save({
          syncStatus: 'failed',
          syncLastError: error.message,
          syncFinishedAt: new Date(deps.now()).toISOString(),
          syncCursor: null,
        });
        return 'failed';
      }
      throw error;
    }
    deps.onStep?.('fetched');

    const since = state.syncSince ? Date.parse(state.syncSince) : Number.NEGATIVE_INFINITY;
    const inWindow = chunk.pullRequests.filter((pr) => Date.parse(pr.updatedAt) >= since);
    const pagesRead =
      state.syncPagesRead || inWindow.length < chunk.pullRequests.length || !chunk.hasNextPage;
    const followUps = await storeChunk(deps, repository, inWindow, chunk);
    deps.onStep?.('stored');
    deps.count('Chunks', 1);
    deps.count('PullRequestsSynced', inWindow.length);
    deps.count('GitHubPoints', chunk.points);

    healthyChunks++;
    const oldest = inWindow.at(-1)?.updatedAt ?? state.syncOldestSeen ?? null;
    const progress: SyncState = {
      syncCompleted: (state.syncCompleted ?? 0) + inWindow.length,
      syncTotal: state.syncSince
        ? (state.syncTotal ?? chunk.windowCount)
        : state.syncPagesRead
          ? state.syncTotal
          : chunk.totalCount,
      syncOldestSeen: oldest,
      syncRequests: (state.syncRequests ?? 0) + 1,
      syncPoints: (state.syncPoints ?? 0) + chunk.points,
      syncCursor: pagesRead ? null : chunk.endCursor,
      syncPagesRead: pagesRead,
      syncFollowUps: followUps,
      // Healthy again: grow back towards the full page.
      syncPageSize:
        healthyChunks >= 3 ? Math.min(deps.settings.maxPageSize, pageSize * 2) : pageSize,
    };
    if (healthyChunks >= 3) healthyChunks = 0;
    const now = new Date(deps.now());
    if (pagesRead && followUps.length === 0) {
      await deps.notify({
        version: 1,
        kind: 'sync-completed',
        idempotencyKey: `${state.syncLastJobKey}:completed`,
        installationId: job.installationId,
        repository: { id: job.repository.id, fullName: repo.fullName },
        mode: state.syncMode ?? 'backfill',
        pullRequests: progress.syncCompleted ?? 0,
        finishedAt: now.toISOString(),
      });
      await save({
        ...progress,
        syncStatus: 'complete',
        syncFinishedAt: now.toISOString(),
        syncWatermark: new Date(
          Date.parse(state.syncRunStartedAt ?? now.toISOString()) - watermarkSkewMs,
        ).toISOString(),
      });
      deps.onStep?.('advanced');
      return 'complete';
    }
    // Budget under the reserve: the same checkpoint write also starts the wait for the reset.
    const reset = Date.parse(chunk.rateLimit.resetAt);
    const lowBudget = chunk.rateLimit.remaining < deps.settings.reserve;
    await save({
      ...progress,
      ...(lowBudget ? { syncStatus: 'waiting', syncWaitUntil: new Date(reset).toISOString() } : {}),
    });
    deps.onStep?.('advanced');
    if (lowBudget) {
      deps.count('RateLimitWaits', 1);
      await continueAfter((reset - deps.now()) / 1000);
      return 'waiting';
    }
  }
  await continueAfter(0);
  return 'continued';
}

/**
 * Stores a chunk: its in-window PRs whole, then the follow-up pages merged
 * into PRs of earlier chunks, then members and dirty weeks. Returns the
 * follow-ups the next chunk reads, as the stored marks say.
 */
async function storeChunk(
  deps: SyncDependencies,
  repository: { installationId: number; repositoryId: number },
  pullRequests: Chunk['pullRequests'],
  chunk: Chunk,
): Promise<FollowUp[]> {
  await putPullRequests(deps.table, pullRequests);
  const continuing = await Promise.all(
    chunk.followUpPages.map(async (page) => {
      const mark = await mergeFollowUp(deps.table, repository, {
        number: page.followUp.number,
        from: followUpMark(page.followUp) ?? '',
        to: followUpMark(page.next),
        reviews: page.reviews,
        commitDates: page.commitDates,
        coAuthors: page.coAuthors,
      });
      return mark ? [parseFollowUpMark(page.followUp.number, mark)] : [];
    }),
  );
  const fresh = pullRequests.flatMap((pr) =>
    pr.followUp ? [parseFollowUpMark(pr.number, pr.followUp)] : [],
  );
  const now = new Date(deps.now());
  const reviews = [
    ...pullRequests.flatMap((pr) => Object.values(pr.reviews)),
    ...chunk.followUpPages.flatMap((page) => page.reviews),
  ];
  await recordMembers(
    deps.table,
    repository.installationId,
    [
      ...pullRequests.map((pr) => ({
        id: pr.authorId,
        login: pr.authorLogin,
        type: pr.authorType,
      })),
      ...reviews.map((r) => ({ id: r.reviewerId, login: r.reviewerLogin, type: r.reviewerType })),
    ],
    now,
  );
  // The page's PRs (with their reviews) and the reviews the follow-up pages added.
  const weeks = new Set(weeksTouched(pullRequests));
  for (const page of chunk.followUpPages) {
    for (const review of page.reviews)
      if (review.submittedAt) weeks.add(isoWeek(review.submittedAt));
  }
  await markWeeksDirty(deps.table, repository.installationId, [...weeks], now);
  // A PR met again on this page (it moved while the sync ran) follows its fresh mark.
  const byNumber = new Map([...continuing.flat(), ...fresh].map((f) => [f.number, f]));
  return [...byNumber.values()];
}
