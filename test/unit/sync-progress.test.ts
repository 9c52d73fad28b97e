import { describe, expect, it } from 'vitest';
import type { SyncedRepository } from '#shared/sync/checkpoint.ts';
import { percentDone } from '#shared/views/sync-progress-view.ts';

const repo = (state: Partial<SyncedRepository>) =>
  ({ fullName: 'o/r', active: true, ...state }) as SyncedRepository;

describe('percentDone', () => {
  it('is 100 for a complete run and 0 before anything was stored', () => {
    expect(percentDone(repo({ syncStatus: 'complete' }))).toBe(100);
    expect(percentDone(repo({ syncStatus: 'syncing' }))).toBe(0);
  });

  it('counts stored PRs against a known total, never claiming 100 before the end', () => {
    expect(percentDone(repo({ syncStatus: 'syncing', syncTotal: 200, syncCompleted: 50 }))).toBe(
      25,
    );
    expect(percentDone(repo({ syncStatus: 'syncing', syncTotal: 200, syncCompleted: 200 }))).toBe(
      99,
    );
  });

  it('measures a windowed run by how much of the window the walk has covered', () => {
    const state = repo({
      syncStatus: 'syncing',
      syncRunStartedAt: '2026-11-11T00:00:00Z',
      syncSince: '2026-11-01T00:00:00Z',
      syncOldestSeen: '2026-11-06T00:00:00Z',
    });

    expect(percentDone(state)).toBe(50);
  });
});
