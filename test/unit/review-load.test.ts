import { describe, expect, it } from 'vitest';
import { rollupWeek } from '#shared/metrics/rollup.ts';
import { people, pr, review } from '../support/pull-request-factory.ts';

const { alice, bob, carol, reviewBot } = people;
const week = { start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') };
const noCopilot = { organisation: [], users: [], noDataDays: 0 };

describe('review load in the week’s rows', () => {
  it("counts a person's reviews in their own row, and every review in the organisation's and the repository's", () => {
    const pullRequests = [
      // Alice's, ready Monday 09:00, merged Tuesday: Bob reviews it at 13:00 (4 h), then Carol at
      // 15:00 (6 h), then Bob again; a review bot too, which is no reviewer.
      pr(alice, { createdAt: '2026-11-16T09:00:00Z', mergedAt: '2026-11-17T09:00:00Z' }, [
        review(bob, '2026-11-16T13:00:00Z', 'commented'),
        review(carol, '2026-11-16T15:00:00Z'),
        review(reviewBot, '2026-11-16T10:00:00Z', 'commented'),
        review(bob, '2026-11-16T20:00:00Z'),
      ]),
    ];
    const rows = rollupWeek('acme', pullRequests, week, noCopilot);
    const figures = (key: string) => {
      const metrics = rows.find((row) => row.row === key)?.metrics;
      return metrics && [metrics.reviewsGiven, metrics.reviewers, metrics.reviewTurnaround?.median];
    };
    // By hand: 3 peer reviews by 2 people; turnaround [4, 6] h, median 5.
    expect(figures('organisation')).toEqual([3, 2, 5]);
    expect(figures('repo#10')).toEqual([3, 2, 5]);
    // Alice's row has her PR, not the reviews it got; Bob and Carol, who opened nothing, have
    // rows of their reviews: Bob 2 (turnaround 4 h, his first), Carol 1 (6 h).
    expect(figures(`author#${alice.id}`)).toEqual([0, 0, undefined]);
    expect(figures(`author#${bob.id}`)).toEqual([2, 1, 4]);
    expect(figures(`author#${carol.id}`)).toEqual([1, 1, 6]);
    expect(rows.find((row) => row.row === `author#${bob.id}`)).toMatchObject({
      name: 'bob',
      metrics: { merged: 0, activeContributors: 1 },
      repositoryIds: [10],
    });
    expect(rows.some((row) => row.row === `author#${reviewBot.id}`)).toBe(false);
  });
});
