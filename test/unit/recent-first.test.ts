import { describe, expect, it } from 'vitest';
import type { Chunk } from '#shared/sync/fetch-chunk.ts';
import { recentEdge } from '#shared/sync/recent-history.ts';
import { runSync } from '#shared/sync/run-sync.ts';
import { syncSettings } from '#shared/sync/sync-run.ts';
import { chunk, job, pullRequest, start, world } from '../support/sync-world.ts';

// Friday 20 Nov 2026: the last finished week began on 9 Nov, and its delivery
// figures look back 30 days before it (and a day for the zones).
const edge = '2026-10-09T00:00:00.000Z';

/** A page of PRs last updated at these times (newest first), more to come or not. */
function page(updated: string[], more: boolean, changes: Partial<Chunk> = {}): Chunk {
  const base = chunk([], more);
  return {
    ...base,
    pullRequests: updated.map((at, index) => pullRequest(100 - updated.length + index, at)),
    endCursor: more ? `after-${updated.at(-1)}` : null,
    ...changes,
  };
}

/** A delivery page read back to this time, the stream continuing; read to its end when null. */
const delivery = (readBackTo: string | null): Chunk['delivery'] => ({
  deployments: [],
  releases: [],
  branch: [],
  issues: [],
  next: readBackTo ? { since: null, deployments: { after: 'd1' }, deploymentsRead: 0 } : null,
  readBackTo,
});

describe('recent first', () => {
  it("ends the recent part at the start of the last finished week less its delivery figures' look-back", () => {
    expect(recentEdge(start)).toBe(edge);
    // Early on Monday the week just ended may not have ended in every zone: a week further back.
    expect(recentEdge(Date.parse('2026-11-23T03:00:00Z'))).toBe(edge);
    expect(recentEdge(Date.parse('2026-11-24T12:00:00Z'))).toBe('2026-10-16T00:00:00.000Z');
  });

  it("parks a first backfill once its PRs are read past the edge, lets the next repository in, and asks for the week's rollup", async () => {
    const w = world({
      pages: [
        page(['2026-11-19T00:00:00Z', '2026-10-10T00:00:00Z'], true),
        page(['2026-10-05T00:00:00Z', '2026-09-20T00:00:00Z'], true),
        page(['2026-09-01T00:00:00Z'], false),
      ],
    });

    expect(await runSync(job('installed'), w.deps('a'))).toBe('parked');

    expect(w.item()).toMatchObject({
      syncStatus: 'syncing',
      syncPhase: 'deep',
      syncPending: true,
      syncCompleteSince: edge,
      syncCursor: 'after-2026-09-20T00:00:00Z',
      syncCompleted: 4,
      syncLeaseOwner: null,
    });
    // No continuation: the deep phase waits for its turn; nothing announced yet.
    expect(w.queued).toEqual([]);
    expect(w.completed).toEqual([]);
    expect(w.admitted).toEqual([1]);
    expect(w.rolledUp).toEqual([1]);

    // Let in, the deep phase goes on from where the recent part stopped, and ends the run.
    w.letIn();
    expect(await runSync(job('admitted'), w.deps('b'))).toBe('complete');
    expect(w.asked.at(-1)).toEqual({ after: 'after-2026-09-20T00:00:00Z', size: 50 });
    expect(w.item()).toMatchObject({
      syncStatus: 'complete',
      syncPhase: null,
      syncCompleted: 5,
      // The full history: complete back to its oldest PR's last update.
      syncCompleteSince: '2026-09-01T00:00:00Z',
    });
    expect(w.completed).toEqual(['installed:completed']);
    // The week was rolled up when the recent part was in; the deep phase's weeks are marked as ever.
    expect(w.rolledUp).toEqual([1]);
  });

  it('waits for the delivery stream to be read back past the edge too', async () => {
    const w = world({
      pages: [
        page(['2026-11-19T00:00:00Z', '2026-09-20T00:00:00Z'], true, {
          delivery: delivery('2026-10-20T00:00:00Z'),
        }),
        page(['2026-09-10T00:00:00Z'], true, { delivery: delivery('2026-09-25T00:00:00Z') }),
      ],
    });

    expect(await runSync(job('installed'), w.deps('a'))).toBe('parked');

    expect(w.asked).toHaveLength(2);
    expect(w.item()).toMatchObject({ syncPhase: 'deep', syncCompleteSince: edge });
  });

  it('waits for the further pages of PRs updated since the edge, not of older ones', async () => {
    const recentWithMore = {
      ...pullRequest(1, '2026-11-19T00:00:00Z'),
      followUp: JSON.stringify(['r1', null]),
    };
    const olderWithMore = {
      ...pullRequest(2, '2026-09-20T00:00:00Z'),
      followUp: JSON.stringify(['r2', null]),
    };
    const more = (number: number, updatedAt: string, next: string | null) => ({
      followUp: { number, reviewsAfter: `r${number}`, updatedAt },
      reviews: [],
      commitDates: [],
      coAuthors: [],
      next: next ? { number, reviewsAfter: next } : null,
    });
    const w = world({
      pages: [
        page([], true, { pullRequests: [recentWithMore, olderWithMore] }),
        page(['2026-09-10T00:00:00Z'], true, {
          followUpPages: [
            more(1, recentWithMore.updatedAt, null),
            more(2, olderWithMore.updatedAt, 'r3'),
          ],
        }),
      ],
    });

    expect(await runSync(job('installed'), w.deps('a'))).toBe('parked');

    // The recent PR's next reviews were read before the park; the older one's go on in the deep phase.
    expect(w.followUpsAsked).toEqual([[], [1, 2]]);
    expect(w.item().syncFollowUps).toEqual([
      {
        number: 2,
        reviewsAfter: 'r3',
        commitsAfter: undefined,
        updatedAt: olderWithMore.updatedAt,
      },
    ]);
  });

  it('runs a backfill of a window inside the recent part in one phase, and asks for the rollup at its end', async () => {
    const w = world({ pages: [page(['2026-11-19T00:00:00Z'], false)] });
    const deps = { ...w.deps('a'), settings: syncSettings({ daysBack: 14, reserve: 100 }) };

    expect(await runSync(job('installed'), deps)).toBe('complete');

    expect(w.item()).toMatchObject({
      syncPhase: null,
      syncCompleteSince: '2026-11-06T12:00:00.000Z',
    });
    expect(w.rolledUp).toEqual([1]);
  });

  it('takes a parked run up when another job finds it first (a redelivery after a crash between the phases), doing what the park left undone', async () => {
    const w = world({
      pages: [
        page(['2026-11-19T00:00:00Z', '2026-09-20T00:00:00Z'], true),
        page(['2026-09-01T00:00:00Z'], false),
      ],
    });
    expect(await runSync(job('installed'), w.deps('a'))).toBe('parked');

    // Not let in: the same message again, as SQS redelivers it after a crash.
    expect(await runSync(job('installed'), w.deps('b'))).toBe('complete');

    expect(w.rolledUp).toEqual([1, 1]);
    // At the park, on taking it up, and at the run's end.
    expect(w.admitted).toEqual([1, 1, 1]);
    expect(w.item()).toMatchObject({ syncStatus: 'complete', syncPending: null });
  });
});
