import { describe, expect, it } from 'vitest';
import { describeHistory, historyProgress } from '#shared/views/history-progress.ts';
import type { RepositoryProgress } from '#shared/views/sync-progress-view.ts';

const now = new Date('2026-11-20T12:00:00Z');

function repo(progress: Partial<RepositoryProgress>): RepositoryProgress {
  return {
    id: 1,
    fullName: 'o/r',
    active: true,
    status: 'syncing',
    mode: 'backfill',
    phase: 'recent',
    completeSince: null,
    backfill: { to: '2026-08-22T12:00:00.000Z' },
    total: 100,
    completed: 0,
    percent: 0,
    startedAt: null,
    finishedAt: null,
    waitingUntil: null,
    lastError: null,
    note: null,
    githubRequests: 0,
    githubPoints: 0,
    completeness: null,
    ...progress,
  };
}

describe('an installation’s history', () => {
  it('is complete since the latest of its repositories’, backfilling to the window, by PRs stored of all', () => {
    const history = historyProgress([
      repo({
        phase: 'deep',
        status: 'queued',
        completeSince: '2026-10-02T00:00:00.000Z',
        completed: 30,
      }),
      repo({
        phase: 'deep',
        completeSince: '2026-10-01T00:00:00.000Z',
        total: 300,
        completed: 130,
      }),
      // Removed from the App: it holds nothing up.
      repo({ active: false, completeSince: null }),
    ]);

    expect(history).toEqual({
      completeSince: '2026-10-02T00:00:00.000Z',
      backfill: { to: '2026-08-22T12:00:00.000Z', percent: 40 },
      synced: false,
    });
    expect(describeHistory(history, 'Europe/Berlin', now)).toBe(
      'complete since 2 Oct; backfilling to 22 Aug, 40 %',
    );
  });

  it('says the recent weeks come first until every repository has them', () => {
    const history = historyProgress([
      repo({ phase: 'deep', completeSince: '2026-10-02T00:00:00.000Z' }),
      repo({ backfill: { to: null } }),
    ]);

    expect(history.completeSince).toBeNull();
    expect(describeHistory(history, 'UTC', now)).toBe(
      'reading the recent weeks first; backfilling the full history, 0 %',
    );
  });

  it('is complete since the window once every backfill ended, with the year when it is not this one', () => {
    const done = repo({
      status: 'complete',
      phase: null,
      backfill: null,
      completeSince: '2025-12-01T00:00:00.000Z',
      completed: 100,
    });

    expect(describeHistory(historyProgress([done]), 'UTC', now)).toBe('complete since 1 Dec 2025');
    // Synced before completeness was recorded.
    expect(describeHistory(historyProgress([{ ...done, completeSince: null }]), 'UTC', now)).toBe(
      'synced',
    );
    expect(describeHistory(historyProgress([]), 'UTC', now)).toBe('not synced yet');
  });
});
