import { describe, expect, it } from 'vitest';
import { type Completeness, completenessAfter, needsResync } from '#shared/sync/completeness.ts';
import { runSync } from '#shared/sync/run-sync.ts';
import { syncSettings } from '#shared/sync/sync-run.ts';
import { completenessInWords } from '#shared/views/sync-progress-view.ts';
import { chunk, job, pullRequest, world } from '../support/sync-world.ts';

const reading = (stored: number, github: number, readWholeWindow: boolean) => ({
  stored,
  github,
  since: '2026-08-22T12:00:00Z',
  checkedAt: '2026-11-20T12:00:00.000Z',
  readWholeWindow,
});
const state = (previous: Completeness['state']): Completeness => ({
  ...reading(1, 2, true),
  state: previous,
});

describe('completenessAfter', () => {
  it('matches when every PR GitHub counts is stored, or more (updated after it counted)', () => {
    expect(completenessAfter(null, reading(60, 60, true)).state).toBe('matches');
    expect(completenessAfter(state('still-short'), reading(61, 60, false)).state).toBe('matches');
  });

  it('finds a first shortfall short, for the next reconciliation to read again', () => {
    expect(completenessAfter(undefined, reading(59, 60, true))).toEqual({
      stored: 59,
      github: 60,
      since: '2026-08-22T12:00:00Z',
      checkedAt: '2026-11-20T12:00:00.000Z',
      state: 'short',
    });
    expect(completenessAfter(state('matches'), reading(59, 60, false)).state).toBe('short');
    // An incremental run reads no window again: a shortfall waiting for its re-sync still waits.
    expect(completenessAfter(state('short'), reading(59, 60, false)).state).toBe('short');
  });

  it('calls a shortfall a re-read of the window could not make up still short, until a check matches', () => {
    expect(completenessAfter(state('short'), reading(59, 60, true)).state).toBe('still-short');
    expect(completenessAfter(state('still-short'), reading(59, 60, false)).state).toBe(
      'still-short',
    );
    expect(completenessAfter(state('still-short'), reading(60, 60, false)).state).toBe('matches');
  });

  it('asks for a re-sync only of a shortfall not yet read again', () => {
    expect([
      needsResync(null),
      needsResync(state('matches')),
      needsResync(state('short')),
      needsResync(state('still-short')),
    ]).toEqual([false, false, true, false]);
  });
});

describe('completenessInWords', () => {
  it('says stored of counted, and what comes of a shortfall', () => {
    expect(completenessInWords({ ...state('matches'), stored: 599, github: 599 })).toBe(
      '599 of 599 pull requests',
    );
    expect(completenessInWords({ ...state('short'), stored: 598, github: 599 })).toBe(
      '598 of 599 pull requests; the next reconciliation reads them again',
    );
    expect(completenessInWords({ ...state('still-short'), stored: 598, github: 599 })).toBe(
      '598 of 599 pull requests, still short after reading them again',
    );
    expect(completenessInWords({ ...state('matches'), stored: 601, github: 599 })).toBe(
      '599 of 599 pull requests',
    );
  });
});

describe('runSync: the completeness check', () => {
  // The world's clock is 2026-11-20T12:00Z; a 30-day window starts 2026-10-21T12:00Z.
  const windowStart = '2026-10-21T12:00:00Z';
  const inWindow = (deps: ReturnType<ReturnType<typeof world>['deps']>) => ({
    ...deps,
    settings: syncSettings({ daysBack: 30, reserve: 100 }),
  });
  const synced = {
    syncStatus: 'complete' as const,
    syncMode: 'backfill' as const,
    syncWatermark: '2026-11-19T00:00:00.000Z',
  };

  it("ends a full-history backfill with the first page's totalCount against what it stored", async () => {
    // GitHub counts 4 PRs; the pages hand out 1, 2 and 4: PR 3 was lost from a page.
    const w = world({ pages: [chunk([1, 2], true), chunk([4], false)] });

    expect(await runSync(job('install'), w.deps('a'))).toBe('complete');

    expect(w.countsAsked).toEqual([{}, {}]);
    expect(w.item()).toMatchObject({
      syncCheck: null,
      completeness: { stored: 3, github: 4, since: null, state: 'short' },
    });
  });

  it("ends a window's backfill with the window's own count, asked once", async () => {
    const w = world({ pages: [{ ...chunk([1, 2], true), windowCount: 3 }, chunk([3], false)] });

    expect(await runSync(job('install'), inWindow(w.deps('a')))).toBe('complete');

    expect(w.countsAsked).toEqual([{ countSince: '2026-10-21T12:00:00.000Z' }, {}]);
    expect(w.item().completeness).toMatchObject({
      stored: 3,
      github: 3,
      since: windowStart,
      state: 'matches',
    });
  });

  it("counts the window beside the changes in the reconciliation's first chunk, and nobody else's", async () => {
    const w = world({
      state: synced,
      pages: [{ ...chunk([1], false), windowCount: 1, checkCount: 3 }],
    });
    // Stored before: PR 2 in the window, PR 30 (updated 2026-09-01) before it.
    w.stored.set(2, pullRequest(2, '2026-11-18T00:00:00Z'));
    w.stored.set(30, pullRequest(30, '2026-09-01T00:00:00Z'));

    expect(await runSync(job('reconcile:2026-11-20:10', 'reconcile'), inWindow(w.deps('a')))).toBe(
      'complete',
    );

    expect(w.countsAsked).toEqual([
      { countSince: '2026-11-19T00:00:00.000Z', checkSince: windowStart },
    ]);
    // Stored in the window: PRs 1 and 2 of GitHub's 3.
    expect(w.item().completeness).toMatchObject({ stored: 2, github: 3, state: 'short' });

    const webhook = world({ state: synced, pages: [chunk([1], false)] });
    await runSync(job('deployment-7', 'deployment'), inWindow(webhook.deps('a')));
    expect(webhook.countsAsked).toEqual([{ countSince: '2026-11-19T00:00:00.000Z' }]);
    expect(webhook.item().completeness).toBeUndefined();
  });

  it('reads the window again from its start when asked to, and finds a shortfall that stays still short', async () => {
    const w = world({
      state: { ...synced, syncResync: true, completeness: state('short') },
      pages: [{ ...chunk([1, 2], true), windowCount: 4 }, chunk([4], false)],
    });

    expect(await runSync(job('admitted:10'), inWindow(w.deps('a')))).toBe('complete');

    expect(w.countsAsked[0]).toEqual({ countSince: '2026-10-21T12:00:00.000Z' });
    // An incremental run from the window's start: no first backfill, so nothing is mailed.
    expect(w.item()).toMatchObject({
      syncMode: 'incremental',
      syncSince: '2026-10-21T12:00:00.000Z',
      syncResync: null,
      completeness: { stored: 3, github: 4, state: 'still-short' },
    });
  });
});
