import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '#shared/github/rate-limited.ts';
import type { SyncJob } from '#shared/queue/sync-job.ts';
import type { DeliveryCheckpoint } from '#shared/sync/delivery-stream.ts';
import { HeavyQueryError, RepositoryGoneError } from '#shared/sync/fetch-chunk.ts';
import { runSync } from '#shared/sync/run-sync.ts';
import { syncSettings } from '#shared/sync/sync-run.ts';
import { chunk, job, resetAt, start, world } from '../support/sync-world.ts';

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
          delivery: {
            deployments: [deployment],
            releases: [],
            branch: [],
            issues: [],
            next: more,
            readBackTo: deployment.createdAt,
          },
        },
        {
          ...chunk([], false),
          delivery: {
            deployments: [deployment],
            releases: [],
            branch: [],
            issues: [],
            next: null,
            readBackTo: null,
          },
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
