import { describe, expect, it } from 'vitest';
import { renderSyncComplete, summariseInitialSync } from '#shared/notify/sync-complete-email.ts';
import type { SyncedRepository } from '#shared/sync/checkpoint.ts';

function repo(name: string, state: Partial<SyncedRepository>): SyncedRepository {
  return {
    installationId: 7,
    repositoryId: name.length,
    fullName: `acme/${name}`,
    name,
    private: false,
    active: true,
    updatedAt: '2026-11-20T10:00:00Z',
    ...state,
  };
}

const done = (name: string, pullRequests: number, started: string, finished: string) =>
  repo(name, {
    syncStatus: 'complete',
    syncCompleted: pullRequests,
    syncRunStartedAt: started,
    syncFinishedAt: finished,
  });

describe('sync-complete email', () => {
  it('waits until every active repository has finished its backfill', () => {
    const api = done('api', 120, '2026-11-20T10:00:00Z', '2026-11-20T10:04:00Z');
    expect(summariseInitialSync('acme', [api, repo('web', { syncStatus: 'syncing' })])).toBe(
      'in-progress',
    );
    expect(summariseInitialSync('acme', [api, repo('web', {})])).toBe('in-progress');
    expect(summariseInitialSync('acme', [])).toBe('in-progress');
    // An inactive (removed) repository is not waited for.
    expect(
      summariseInitialSync('acme', [api, repo('old', { active: false, syncStatus: 'syncing' })]),
    ).toMatchObject({ pullRequests: 120 });
  });

  it('sums up repositories, pull requests, time taken and failures', () => {
    const summary = summariseInitialSync('acme', [
      done('web', 30, '2026-11-20T10:00:30Z', '2026-11-20T10:01:00Z'),
      done('api', 1200, '2026-11-20T10:00:00Z', '2026-11-20T12:05:00Z'),
      repo('gone', {
        syncStatus: 'failed',
        syncCompleted: 5,
        syncLastError: 'repository not found',
        syncRunStartedAt: '2026-11-20T10:00:10Z',
        syncFinishedAt: '2026-11-20T10:00:20Z',
      }),
    ]);
    if (summary === 'in-progress') throw new Error('expected a summary');
    const email = renderSyncComplete(summary, 'https://x.example/unsubscribe/7/abc');
    expect(email.subject).toBe('Flowmeter: acme is synced (1235 pull requests, 1 failed)');
    expect(email.text).toBe(`Flowmeter: acme is synced

Flowmeter synced 1235 pull requests from 3 repositories in 2 h 05 min. 1 could not be synced; see below. Weekly digests follow every Monday morning.

Repositories
  Repository  Pull requests  Result
  acme/api             1200  synced
  acme/gone               5  failed: repository not found
  acme/web               30  synced

--
Sent by Flowmeter. Unsubscribe: https://x.example/unsubscribe/7/abc
`);
    expect(email.html).toContain('failed: repository not found');
    expect(email.html).toContain('href="https://x.example/unsubscribe/7/abc"');
  });
});
