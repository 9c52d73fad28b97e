import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '#shared/github/rate-limited.ts';
import type { StoredPullRequest } from '#shared/metrics/pull-request.ts';
import type { SyncJob } from '#shared/queue/sync-job.ts';
import type { SyncedRepository, SyncState } from '#shared/sync/checkpoint.ts';
import type { DeliveryCheckpoint, DeliveryPage } from '#shared/sync/delivery-stream.ts';
import { type Chunk, HeavyQueryError, RepositoryGoneError } from '#shared/sync/fetch-chunk.ts';
import { runSync } from '#shared/sync/run-sync.ts';
import {
  type FetchChunk,
  type SyncDependencies,
  type SyncStore,
  syncSettings,
} from '#shared/sync/sync-run.ts';

const start = Date.parse('2026-11-20T12:00:00Z');
const resetAt = '2026-11-20T12:30:00Z';

/** The sync loop's world in memory: one repository's item, its installation's budget, a queue and a clock. */
function world(options: {
  pages: (Chunk | Error)[];
  remaining?: number[];
  active?: boolean;
  /** What the installation's other workers have left of the budget. */
  budget?: { remaining: number; resetAt: number };
}) {
  let budget = options.budget ?? null;
  let item: SyncedRepository = {
    installationId: 1,
    repositoryId: 10,
    fullName: 'acme/api',
    name: 'api',
    private: false,
    active: options.active ?? true,
    updatedAt: '2026-11-01T00:00:00Z',
  };
  const stored = new Map<number, StoredPullRequest>();
  const queued: { job: SyncJob; delaySeconds: number }[] = [];
  const completed: string[] = [];
  const asked: ({ after: string | null; size: number } | null)[] = [];
  const deliveryAsked: (DeliveryCheckpoint | null)[] = [];
  const deliveryStored: DeliveryPage['deployments'] = [];
  const store: SyncStore = {
    async acquireLease(_repository, owner, nowMs, leaseMs, successor) {
      const holder = item.syncLeaseOwner;
      if (holder && holder !== owner && holder !== successor && (item.syncLeaseUntil ?? 0) > nowMs)
        return 'busy';
      item = { ...item, syncLeaseOwner: owner, syncLeaseUntil: nowMs + leaseMs };
      return { ...item };
    },
    async updateState(_repository, owner, version, changes: SyncState) {
      if (item.syncLeaseOwner !== owner || (item.syncVersion ?? 0) !== version)
        throw new Error('lease lost');
      item = { ...item, ...changes, syncVersion: version + 1 };
      return version + 1;
    },
    async handOverLease(_repository, owner, successor, untilMs) {
      if (item.syncLeaseOwner !== owner) throw new Error('lease lost');
      item = { ...item, syncLeaseOwner: successor, syncLeaseUntil: untilMs };
    },
    async releaseLease(_repository, owner) {
      if (item.syncLeaseOwner === owner)
        item = { ...item, syncLeaseOwner: null, syncLeaseUntil: null };
    },
    installationStatus: async () => 'active',
    async recordPullRequests(learned) {
      for (const pr of learned.synced ?? []) stored.set(pr.number, pr);
      return { followUpMarks: [] };
    },
    async recordDelivery(_repository, page) {
      deliveryStored.push(...page.deployments);
    },
    async claimBudget(_installationId, { cost, reserve }, now) {
      // (The per-minute share is the store's; a chunk or two here never reaches it.)
      if (budget && budget.resetAt > now.getTime() && budget.remaining < reserve + cost)
        return { granted: false, resetAt: budget.resetAt };
      if (budget) budget = { ...budget, remaining: budget.remaining - cost };
      return { granted: true };
    },
    async recordBudget(_installationId, reading) {
      const later = !budget || reading.resetAt > budget.resetAt;
      if (later || (reading.resetAt === budget?.resetAt && reading.remaining < budget.remaining))
        budget = reading;
    },
  };
  const pages = [...options.pages];
  const remaining = [...(options.remaining ?? [])];
  const fetch: FetchChunk = async (_repository, page, _followUps, delivery) => {
    asked.push(page && { after: page.after, size: page.size });
    deliveryAsked.push(delivery);
    const next = pages.shift();
    if (!next) throw new Error('no more pages scripted');
    if (next instanceof Error) throw next;
    return next;
  };
  const admitted: number[] = [];
  const deps = (owner: string): SyncDependencies => ({
    store,
    admitNext: async (installationId) => {
      admitted.push(installationId);
    },
    chunksFor: () => fetch,
    enqueue: async (job, delaySeconds) => {
      queued.push({ job, delaySeconds });
    },
    notify: async (event) => {
      completed.push(event.idempotencyKey);
    },
    now: () => start,
    // Each check of the clock uses up one scripted answer; plenty of time once they run out.
    remainingMs: () => remaining.shift() ?? 240_000,
    owner,
    settings: syncSettings({ daysBack: 0, reserve: 100 }),
    count: () => undefined,
  });
  return {
    deps,
    item: () => item,
    stored,
    queued,
    completed,
    asked,
    admitted,
    deliveryAsked,
    deliveryStored,
  };
}

function pullRequest(number: number, updatedAt: string): StoredPullRequest {
  return {
    installationId: 1,
    repositoryId: 10,
    repositoryFullName: 'acme/api',
    number,
    title: `PR ${number}`,
    state: 'open',
    draft: false,
    authorId: 7,
    authorLogin: 'dev',
    authorType: 'User',
    createdAt: updatedAt,
    updatedAt,
    closedAt: null,
    mergedAt: null,
    labels: [],
    baseRef: 'main',
    reviews: {},
  };
}

function chunk(numbers: number[], more: boolean, remaining = 4000): Chunk {
  return {
    pullRequests: numbers.map((n) =>
      pullRequest(n, `2026-11-${String(20 - n).padStart(2, '0')}T00:00:00Z`),
    ),
    followUpPages: [],
    totalCount: 4,
    windowCount: null,
    endCursor: more ? `cursor-${numbers.at(-1)}` : null,
    hasNextPage: more,
    rateLimit: { cost: 1, remaining, resetAt },
    points: 1,
    notes: [],
    delivery: null,
  };
}

const job = (key: string, trigger: SyncJob['trigger'] = 'installation'): SyncJob => ({
  version: 1,
  idempotencyKey: key,
  installationId: 1,
  repository: { id: 10, fullName: 'acme/api' },
  trigger,
  requestedAt: '2026-11-20T12:00:00Z',
});

describe('runSync', () => {
  it("keeps any sixty seconds under GitHub's 2,000 GraphQL points: half of them a calendar minute", () => {
    // A span of sixty seconds covers the end of one calendar minute and the start of the next.
    const { pointsPerMinute } = syncSettings({ daysBack: 0, reserve: 100 });
    expect(2 * pointsPerMinute).toBeLessThanOrEqual(2000);
  });

  it('backfills page after page in one invocation, announces the run once and sets the watermark', async () => {
    const w = world({ pages: [chunk([1, 2], true), chunk([3, 4], false)] });

    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('complete');

    expect([...w.stored.keys()]).toEqual([1, 2, 3, 4]);
    expect(w.asked).toEqual([
      { after: null, size: 50 },
      { after: 'cursor-2', size: 50 },
    ]);
    expect(w.completed).toEqual(['delivery-1:completed']);
    // The run started at 12:00; five minutes of clock skew allowed.
    expect(w.item()).toMatchObject({
      syncStatus: 'complete',
      syncCompleted: 4,
      syncTotal: 4,
      syncWatermark: '2026-11-20T11:55:00.000Z',
      syncLeaseOwner: null,
    });
    expect(w.queued).toEqual([]);
  });

  it('completes only once the delivery stream is read too, asking it alone after the last PR page', async () => {
    const deployment = {
      installationId: 1,
      repositoryId: 10,
      repositoryFullName: 'acme/api',
      deploymentId: 5,
      environment: 'production',
      sha: 'a'.repeat(40),
      ref: 'main',
      creatorLogin: null,
      createdAt: '2026-11-19T10:00:00Z',
      statuses: [],
    };
    const more: DeliveryCheckpoint = {
      since: null,
      deployments: { after: 'deployments-1' },
      deploymentsRead: 1,
    };
    const w = world({
      pages: [
        {
          ...chunk([1, 2], false),
          delivery: { deployments: [deployment], releases: [], branch: [], issues: [], next: more },
        },
        {
          ...chunk([], false),
          delivery: { deployments: [deployment], releases: [], branch: [], issues: [], next: null },
        },
      ],
    });

    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('complete');

    // A full-history backfill: every connection from its start, then only the deployments left.
    expect(w.deliveryAsked).toEqual([
      {
        since: null,
        deployments: { after: null },
        releases: { after: null },
        history: { after: null },
        incidents: { after: null },
        deploymentsRead: 0,
      },
      more,
    ]);
    expect(w.asked).toEqual([{ after: null, size: 50 }, null]);
    expect(w.deliveryStored).toHaveLength(2);
    expect(w.item()).toMatchObject({ syncStatus: 'complete', syncDelivery: null });
  });

  it('queues its continuation when time runs short, and the continuation finishes the run', async () => {
    // Time for one chunk, then under the minute the worker keeps in hand.
    const w = world({
      pages: [chunk([1, 2], true), chunk([3, 4], false)],
      remaining: [240_000, 30_000],
    });

    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('continued');
    const [continuation] = w.queued;
    // Start (version 1), first chunk (version 2): the key names the checkpoint it continues.
    expect(continuation).toMatchObject({
      delaySeconds: 0,
      job: { idempotencyKey: 'delivery-1:continue:2', trigger: 'continuation' },
    });
    expect(w.item()).toMatchObject({ syncStatus: 'syncing', syncCursor: 'cursor-2' });

    expect(await runSync(continuation?.job as SyncJob, w.deps('b'))).toBe('complete');
    expect(w.completed).toEqual(['delivery-1:completed']);
  });

  it('checkpoints and waits for the reset when the budget falls under the reserve', async () => {
    const w = world({ pages: [chunk([1, 2], true, 40)] });

    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('waiting');

    expect(w.item()).toMatchObject({
      syncStatus: 'waiting',
      syncWaitUntil: '2026-11-20T12:30:00.000Z',
    });
    // Thirty minutes away: one SQS delay of at most 15 minutes, then another hop.
    expect(w.queued.map((q) => q.delaySeconds)).toEqual([900]);
    expect(await runSync(w.queued[0]?.job as SyncJob, w.deps('b'))).toBe('waiting');
    expect(w.queued.map((q) => q.delaySeconds)).toEqual([900, 900]);
    expect(w.asked).toHaveLength(1);
  });

  it('waits out a rate limit GitHub answers with, from the same checkpoint', async () => {
    const w = world({ pages: [new RateLimitedError('secondary rate limit', start + 60_000)] });

    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('waiting');

    expect(w.item()).toMatchObject({ syncStatus: 'waiting', syncCursor: null });
    expect(w.queued.map((q) => q.delaySeconds)).toEqual([60]);
  });

  it('waits with the installation when its other workers left the shared budget at the reserve, asking GitHub nothing', async () => {
    // 101 points left of the installation's budget: a chunk's 2 would take it under the reserve of 100.
    const w = world({
      pages: [chunk([1], false)],
      budget: { remaining: 101, resetAt: Date.parse(resetAt) },
    });

    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('waiting');

    expect(w.asked).toEqual([]);
    expect(w.item()).toMatchObject({
      syncStatus: 'waiting',
      syncWaitUntil: new Date(resetAt).toISOString(),
    });
    // Half an hour to the reset: SQS's longest delay, then another hop.
    expect(w.queued.map((q) => q.delaySeconds)).toEqual([900]);
  });

  it('claims from the shared budget before each chunk, and goes on while enough is left', async () => {
    const w = world({
      pages: [chunk([1], true, 3000), chunk([2], false, 2998)],
      budget: { remaining: 102, resetAt: start - 1 },
    });

    // The window the budget knew has reset: the first claim is granted, GitHub's reading replaces it.
    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('complete');
    expect(w.asked).toHaveLength(2);
  });

  it("lets the installation's next held-back repository in once a run ends, and not before", async () => {
    const w = world({ pages: [chunk([1], true), chunk([2], false)] });

    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('complete');
    expect(w.admitted).toEqual([1]);

    const waiting = world({ pages: [], budget: { remaining: 0, resetAt: Date.parse(resetAt) } });
    expect(await runSync(job('delivery-1'), waiting.deps('a'))).toBe('waiting');
    expect(waiting.admitted).toEqual([]);
  });

  it('halves the page when GitHub struggles, and doubles it back after three healthy chunks', async () => {
    const heavy = new HeavyQueryError('GitHub answered 502');
    const w = world({
      pages: [
        heavy,
        heavy,
        chunk([1], true),
        chunk([2], true),
        chunk([3], true),
        chunk([4], false),
      ],
    });

    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('complete');

    expect(w.asked.map((page) => page?.size)).toEqual([50, 25, 12, 12, 12, 24]);
  });

  it('ends the run with the reason when the repository is gone, and retries nothing', async () => {
    const w = world({ pages: [new RepositoryGoneError('acme/api not found')] });

    expect(await runSync(job('delivery-1'), w.deps('a'))).toBe('failed');

    expect(w.item()).toMatchObject({ syncStatus: 'failed', syncLastError: 'acme/api not found' });
    expect(w.queued).toEqual([]);
  });

  it('does nothing for a repeated job, a continuation of a finished run, or a repository taken off the App', async () => {
    const w = world({ pages: [chunk([1], false)] });
    await runSync(job('delivery-1'), w.deps('a'));

    expect(await runSync(job('delivery-1'), w.deps('b'))).toBe('duplicate');
    expect(await runSync(job('delivery-1:continue:1', 'continuation'), w.deps('c'))).toBe(
      'skipped',
    );
    expect(w.asked).toHaveLength(1);

    const removed = world({ pages: [], active: false });
    expect(await runSync(job('delivery-2'), removed.deps('a'))).toBe('skipped');
  });

  it('stands aside while another worker holds the lease', async () => {
    const w = world({ pages: [chunk([1], false)] });
    await w
      .deps('a')
      .store.acquireLease({ installationId: 1, repositoryId: 10 }, 'a', start, 60_000);

    expect(await runSync(job('delivery-1'), w.deps('b'))).toBe('busy');
    expect(w.asked).toEqual([]);
  });
});
