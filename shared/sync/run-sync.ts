import { RateLimitedError } from '../github/rate-limited.ts';
import type { SyncJob } from '../queue/sync-job.ts';
import {
  type FollowUp,
  followUpMark,
  leaseSuccessor,
  parseFollowUpMark,
  type SyncState,
} from './checkpoint.ts';
import { searchInstant } from './chunk-query.ts';
import { completenessAfter } from './completeness.ts';
import { startDelivery } from './delivery-stream.ts';
import { type Chunk, HeavyQueryError, RepositoryGoneError } from './fetch-chunk.ts';
import { firstPhase, pastRecentEdge, recentEdge } from './recent-history.ts';
import { type FetchChunk, type SyncDependencies, SyncRun } from './sync-run.ts';

export type SyncOutcome =
  | 'complete'
  | 'continued'
  // A first backfill's recent phase is done: its deep phase waits to be let in.
  | 'parked'
  | 'waiting'
  | 'failed'
  | 'busy'
  | 'skipped'
  | 'duplicate';

/** Allowed clock skew between GitHub's `updatedAt` and ours when setting the watermark. */
const watermarkSkewMs = 5 * 60_000;
/** Healthy chunks in a row before a shrunk page doubles again. */
const healthyChunksToGrow = 3;

/**
 * Brings one repository up to date, a chunk at a time, from its checkpoint:
 * start or resume a run, wait out a rate-limit reset, run chunks (fetch →
 * store → advance the checkpoint) while time lasts, finish. Stops with time
 * to spare and queues its own continuation; ends permanently failing syncs
 * with a reason.
 */
export async function runSync(job: SyncJob, deps: SyncDependencies): Promise<SyncOutcome> {
  const repository = { installationId: job.installationId, repositoryId: job.repository.id };
  const { store, owner, settings } = deps;
  const successor = job.trigger === 'continuation' ? leaseSuccessor(job.idempotencyKey) : undefined;
  const leased = await store.acquireLease(
    repository,
    owner,
    deps.now(),
    settings.leaseMs,
    successor,
  );
  // Busy: the holder carries the run on and queues its own continuations.
  if (leased === 'busy') return 'busy';
  if (leased === 'missing') return 'skipped';
  try {
    const run = new SyncRun(job, leased, deps);
    const started = await startOrResume(run);
    if (started !== 'ready') return started;
    if (await waitForReset(run)) return 'waiting';
    const fetch = deps.chunksFor(job.installationId);
    const health = { healthyChunks: 0 };
    while (deps.remainingMs() > settings.stopWithMs) {
      const outcome = await runChunk(run, fetch, health);
      if (outcome !== 'next') return outcome;
    }
    await run.continueAfter(0);
    return 'continued';
  } finally {
    await store.releaseLease(repository, owner);
  }
}

/**
 * Resumes the run in progress, or starts one: incremental from the watermark
 * once a sync completed, else a backfill of the window. Nothing to do for a
 * repository the App lost, a continuation of a finished run, or a job whose
 * run already happened.
 */
async function startOrResume(run: SyncRun): Promise<'ready' | 'skipped' | 'duplicate'> {
  const { job, deps, state } = run;
  // Removed from the App, or the installation suspended or deleted: no sync work.
  if (!state.active || (await deps.store.installationStatus(job.installationId)) !== 'active') {
    if (run.inProgress)
      await run.fail('repository removed from the App or installation not active');
    return 'skipped';
  }
  if (run.inProgress) {
    // A parked run taken up by a job other than the one letting it in (redelivered after a
    // crash between its phases, or the reconciliation's): it takes its turn now, and does
    // what its park may have left undone.
    if (state.syncPending) {
      await run.save({ syncPending: null });
      await run.recentHistoryStored();
    }
    return 'ready';
  }
  if (job.trigger === 'continuation') return 'skipped';
  if (state.syncLastJobKey === job.idempotencyKey) return 'duplicate';
  const now = deps.now();
  const windowStart =
    deps.settings.daysBack > 0
      ? new Date(now - deps.settings.daysBack * 86_400_000).toISOString()
      : null;
  const incremental = Boolean(state.syncWatermark);
  // The reconciliation found PRs missing: this run reads the window's again, from its start.
  const resync = incremental && state.syncResync === true;
  const edge = recentEdge(now);
  const phase = incremental ? null : firstPhase(windowStart, edge);
  await run.save({
    syncStatus: 'syncing',
    syncMode: incremental ? 'incremental' : 'backfill',
    syncPhase: phase,
    syncRecentSince: phase && edge,
    // An incremental run keeps what the backfill made complete; a backfill starts from nothing.
    ...(incremental ? {} : { syncCompleteSince: null }),
    syncCursor: null,
    syncPagesRead: false,
    syncFollowUps: [],
    syncSince: incremental && !resync ? (state.syncWatermark ?? null) : windowStart,
    // Runs that read the whole window, and the daily reconciliation's, end checking what is stored.
    syncCheck:
      !incremental || resync || job.trigger === 'reconcile'
        ? {
            since: windowStart && searchInstant(windowStart),
            github: null,
            readsWholeWindow: !incremental || resync,
          }
        : null,
    syncResync: null,
    syncRunStartedAt: new Date(now).toISOString(),
    syncTotal: null,
    syncCompleted: 0,
    syncOldestSeen: null,
    syncFinishedAt: null,
    syncWaitUntil: null,
    syncLastError: null,
    syncNote: null,
    syncPageSize: state.syncPageSize ?? deps.settings.maxPageSize,
    syncLastJobKey: job.idempotencyKey,
    syncRequests: 0,
    syncPoints: 0,
    // Running now, by whichever job: no longer waiting to be let in.
    syncPending: null,
    syncDelivery: startDelivery(incremental ? (state.syncWatermark ?? null) : windowStart),
  });
  return 'ready';
}

/**
 * A rate-limit reset still ahead: hop again with a delayed message (waits
 * longer than SQS's 15 minutes chain). Returns true while waiting.
 */
async function waitForReset(run: SyncRun): Promise<boolean> {
  const now = run.deps.now();
  const waitUntil = run.state.syncWaitUntil ? Date.parse(run.state.syncWaitUntil) : 0;
  if (waitUntil > now) {
    await run.continueAfter((waitUntil - now) / 1000);
    return true;
  }
  if (run.state.syncStatus === 'waiting')
    await run.save({ syncStatus: 'syncing', syncWaitUntil: null });
  return false;
}

/** Waits for GitHub's reset: the repository shows `waiting` until `until` (epoch ms). */
async function checkpointAndWait(
  run: SyncRun,
  until: number,
  progress: SyncState = {},
): Promise<void> {
  await run.save({
    ...progress,
    syncStatus: 'waiting',
    syncWaitUntil: new Date(until).toISOString(),
  });
  run.deps.onStep?.('advanced');
  run.deps.count('RateLimitWaits', 1);
  await run.continueAfter((until - run.deps.now()) / 1000);
}

/**
 * One chunk: fetch (shrinking the page when GitHub struggles), store, then
 * advance the checkpoint — or finish, or wait when the budget runs low.
 * `next` means another chunk may follow in this invocation.
 */
async function runChunk(
  run: SyncRun,
  fetch: FetchChunk,
  health: { healthyChunks: number },
): Promise<'next' | 'complete' | 'parked' | 'waiting' | 'failed'> {
  const { deps, state } = run;
  const pageSize = state.syncPageSize ?? deps.settings.maxPageSize;
  const { installationId } = run.repository;
  // The installation's workers share one budget: a chunk is fetched only on points claimed from it.
  const claimed = await deps.store.claimBudget(
    installationId,
    {
      cost: expectedCost(state),
      reserve: deps.settings.reserve,
      perMinute: deps.settings.pointsPerMinute,
    },
    new Date(deps.now()),
  );
  if (!claimed.granted) {
    await checkpointAndWait(run, Math.max(claimed.resetAt, deps.now() + 1000));
    return 'waiting';
  }
  const check = checkCounts(state);
  let chunk: Chunk;
  try {
    chunk = await fetch(
      run.ref,
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
            checkSince: check?.own,
          },
      state.syncFollowUps ?? [],
      state.syncDelivery ?? null,
    );
  } catch (error) {
    if (error instanceof HeavyQueryError && pageSize > deps.settings.minPageSize) {
      health.healthyChunks = 0;
      await run.save({
        syncPageSize: Math.max(deps.settings.minPageSize, Math.floor(pageSize / 2)),
      });
      return 'next';
    }
    if (error instanceof RateLimitedError) {
      deps.count('RateLimitWaits', 1);
      await run.save({ syncStatus: 'waiting', syncWaitUntil: new Date(error.until).toISOString() });
      await run.continueAfter((error.until - deps.now()) / 1000);
      return 'waiting';
    }
    if (error instanceof RepositoryGoneError) {
      await run.fail(error.message);
      return 'failed';
    }
    throw error;
  }
  deps.onStep?.('fetched');
  await deps.store.recordBudget(
    installationId,
    { remaining: chunk.rateLimit.remaining, resetAt: Date.parse(chunk.rateLimit.resetAt) },
    new Date(deps.now()),
  );

  const since = state.syncSince ? Date.parse(state.syncSince) : Number.NEGATIVE_INFINITY;
  const inWindow = chunk.pullRequests.filter((pr) => Date.parse(pr.updatedAt) >= since);
  const pagesRead =
    state.syncPagesRead || inWindow.length < chunk.pullRequests.length || !chunk.hasNextPage;
  const followUps = await storeChunk(run, inWindow, chunk);
  if (chunk.delivery) {
    await deps.store.recordDelivery(run.repository, chunk.delivery, new Date(deps.now()));
  }
  deps.onStep?.('stored');
  deps.count('Chunks', 1);
  deps.count('PullRequestsSynced', inWindow.length);
  deps.count('DeploymentsSynced', chunk.delivery?.deployments.length ?? 0);
  deps.count('GitHubPoints', chunk.points);
  deps.count('PartialAnswers', chunk.notes.length);

  health.healthyChunks++;
  const grow = health.healthyChunks >= healthyChunksToGrow;
  if (grow) health.healthyChunks = 0;
  const progress: SyncState = {
    syncCompleted: (state.syncCompleted ?? 0) + inWindow.length,
    syncTotal: state.syncSince
      ? (state.syncTotal ?? chunk.windowCount)
      : state.syncPagesRead
        ? state.syncTotal
        : chunk.totalCount,
    syncOldestSeen: inWindow.at(-1)?.updatedAt ?? state.syncOldestSeen ?? null,
    syncRequests: (state.syncRequests ?? 0) + 1,
    syncPoints: (state.syncPoints ?? 0) + chunk.points,
    syncCursor: pagesRead ? null : chunk.endCursor,
    syncPagesRead: pagesRead,
    syncFollowUps: followUps,
    // Healthy again: grow back towards the full page.
    syncPageSize: grow ? Math.min(deps.settings.maxPageSize, pageSize * 2) : pageSize,
    ...(chunk.notes.length > 0 && { syncNote: chunk.notes.at(-1) }),
    syncDelivery: chunk.delivery?.next ?? null,
    ...(check &&
      state.syncCheck && { syncCheck: { ...state.syncCheck, github: check.read(chunk) } }),
  };
  if (pagesRead && followUps.length === 0 && !progress.syncDelivery) {
    await finish(run, progress);
    return 'complete';
  }
  const edge = state.syncPhase === 'recent' ? state.syncRecentSince : null;
  if (
    edge &&
    pastRecentEdge(
      edge,
      { pagesRead, oldestSeen: progress.syncOldestSeen ?? null, followUps },
      chunk.delivery,
    )
  ) {
    await endRecentPhase(run, progress);
    return 'parked';
  }
  // Budget under the reserve: the same checkpoint write also starts the wait for the reset.
  if (chunk.rateLimit.remaining < deps.settings.reserve) {
    await checkpointAndWait(run, Date.parse(chunk.rateLimit.resetAt), progress);
    return 'waiting';
  }
  await run.save(progress);
  deps.onStep?.('advanced');
  return 'next';
}

/**
 * Where GitHub's count for the run's completeness check comes from, while
 * the run has none and is at its first page: the page's `totalCount` for
 * the whole history, the window's own count when the run reads from the
 * window's start, else (`own`) a count of its own in the same request.
 */
function checkCounts(
  state: SyncState,
): { own: string | undefined; read: (chunk: Chunk) => number | null } | null {
  const check = state.syncCheck;
  if (!check || check.github !== null || state.syncCursor || state.syncPagesRead) return null;
  const { since } = check;
  if (since === null) return { own: undefined, read: (chunk) => chunk.totalCount };
  if (state.syncSince && searchInstant(state.syncSince) === since)
    return { own: undefined, read: (chunk) => chunk.windowCount };
  return { own: since, read: (chunk) => chunk.checkCount };
}

/** Points a chunk is expected to cost: this run's average so far, two (a full page's) before it has one. */
function expectedCost(state: SyncState): number {
  const requests = state.syncRequests ?? 0;
  return requests > 0 ? Math.max(1, Math.ceil((state.syncPoints ?? 0) / requests)) : 2;
}

/**
 * The recent phase is done: the run parks until its installation lets its
 * deep phase in (`sync-admission.ts`), giving its lease up in the same
 * write, so the job that lets it in never finds it busy; then the next
 * repository comes in, and the finished week is rolled up if this was the
 * installation's last to have its recent history.
 */
async function endRecentPhase(run: SyncRun, progress: SyncState): Promise<void> {
  await run.save({
    ...progress,
    syncPhase: 'deep',
    syncPending: true,
    syncCompleteSince: run.state.syncRecentSince ?? null,
    syncLeaseUntil: 0,
  });
  run.deps.onStep?.('advanced');
  await run.recentHistoryStored();
}

/** The run is done: announce it, then record it complete with the watermark the next incremental sync starts from. */
async function finish(run: SyncRun, progress: SyncState): Promise<void> {
  const { deps, state } = run;
  const now = new Date(deps.now());
  const backfill = state.syncMode === 'backfill';
  const completeness = await checkCompleteness(run, progress.syncCheck ?? state.syncCheck, now);
  await run.announceEnd('complete', progress.syncCompleted ?? 0);
  await run.save({
    ...progress,
    syncCheck: null,
    ...(completeness && { completeness }),
    syncStatus: 'complete',
    syncFinishedAt: now.toISOString(),
    syncWatermark: new Date(
      Date.parse(state.syncRunStartedAt ?? now.toISOString()) - watermarkSkewMs,
    ).toISOString(),
    syncPhase: null,
    ...(backfill && {
      // The full history is complete back to its oldest PR's last update.
      syncCompleteSince: state.syncSince ?? progress.syncOldestSeen ?? state.syncRunStartedAt,
    }),
  });
  deps.onStep?.('advanced');
  // A backfill that ends in its recent phase ends with its recent history stored.
  await run.ended(backfill && state.syncPhase !== 'deep');
}

/** The run's completeness check, once everything it read is stored; none without GitHub's count. */
async function checkCompleteness(
  run: SyncRun,
  check: SyncState['syncCheck'],
  now: Date,
): Promise<SyncState['completeness']> {
  if (!check || check.github === null) return undefined;
  const stored = await run.deps.store.countPullRequests(run.repository, check.since);
  return completenessAfter(run.state.completeness, {
    stored,
    github: check.github,
    since: check.since,
    checkedAt: now.toISOString(),
    readWholeWindow: check.readsWholeWindow,
  });
}

/**
 * Stores a chunk: its in-window PRs whole, and the follow-up pages merged
 * into PRs of earlier chunks. Returns the follow-ups the next chunk reads,
 * as the stored marks say.
 */
async function storeChunk(
  run: SyncRun,
  pullRequests: Chunk['pullRequests'],
  chunk: Chunk,
): Promise<FollowUp[]> {
  const { followUpMarks } = await run.deps.store.recordPullRequests(
    {
      installationId: run.repository.installationId,
      synced: pullRequests,
      followUps: chunk.followUpPages.map((page) => ({
        repositoryId: run.repository.repositoryId,
        number: page.followUp.number,
        from: followUpMark(page.followUp) ?? '',
        to: followUpMark(page.next),
        reviews: page.reviews,
        commitDates: page.commitDates,
        coAuthors: page.coAuthors,
        ...(page.assignees && { assignees: page.assignees }),
      })),
    },
    new Date(run.deps.now()),
  );
  const continuing = chunk.followUpPages.flatMap((page, index) => {
    const mark = followUpMarks[index];
    return mark
      ? [{ ...parseFollowUpMark(page.followUp.number, mark), updatedAt: page.followUp.updatedAt }]
      : [];
  });
  const fresh = pullRequests.flatMap((pr) =>
    pr.followUp ? [{ ...parseFollowUpMark(pr.number, pr.followUp), updatedAt: pr.updatedAt }] : [],
  );
  // A PR met again on this page (it moved while the sync ran) follows its fresh mark.
  const byNumber = new Map([...continuing, ...fresh].map((f) => [f.number, f]));
  return [...byNumber.values()];
}
