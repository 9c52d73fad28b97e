import { describe, expect, it } from 'vitest';
import { quantile } from '#shared/metrics/distribution.ts';
import { flowMetrics } from '#shared/metrics/flow-metrics.ts';
import { weekBounds } from '#shared/metrics/time-zone.ts';
import { people, pr, review } from '../support/pull-request-factory.ts';

// ISO week 2026-W10: Monday 2 March to Monday 9 March 2026.
const week = weekBounds('2026-W10', 'UTC');

/** A hand-worked week; every expected figure is derived in the comments. */
const handWorked = [
  // A: cycle from first commit 03-01 21:00 to merge 03-03 09:00 = 36 h; coding 21:00 → ready 09:00 = 12 h;
  // pickup 09:00 → bob 13:00 = 4 h (alice's own review ignored); review 13:00 → merge = 20 h.
  // 450 lines (> 400); one commit after the first review; a Claude co-author: AI-assisted.
  pr(
    people.alice,
    {
      createdAt: '2026-03-02T09:00:00Z',
      firstCommitAt: '2026-03-01T21:00:00Z',
      mergedAt: '2026-03-03T09:00:00Z',
      additions: 300,
      deletions: 150,
      commitDates: ['2026-03-01T21:00:00Z', '2026-03-02T15:00:00Z'],
      coAuthors: ['claude <noreply@anthropic.com>'],
    },
    [
      review(people.alice, '2026-03-02T10:00:00Z', 'commented'),
      review(people.bob, '2026-03-02T13:00:00Z'),
    ],
  ),
  // B: draft created 03-02 10:00, ready 03-04 10:00 (opened then). Cycle 03-02 08:00 → 03-05 10:00 = 74 h;
  // coding 08:00 → ready = 50 h; pickup → carol 12:00 = 2 h; review 12:00 → merge 10:00 = 22 h.
  // Turnaround: carol 2 h, alice 6 h. 50 lines, no rework.
  pr(
    people.bob,
    {
      createdAt: '2026-03-02T10:00:00Z',
      firstCommitAt: '2026-03-02T08:00:00Z',
      readyAt: '2026-03-04T10:00:00Z',
      mergedAt: '2026-03-05T10:00:00Z',
      additions: 40,
      deletions: 10,
      commitDates: ['2026-03-02T08:00:00Z'],
    },
    [
      review(people.carol, '2026-03-04T12:00:00Z', 'changes_requested'),
      review(people.alice, '2026-03-04T16:00:00Z'),
      review(people.reviewBot, '2026-03-04T10:30:00Z', 'commented'),
    ],
  ),
  // C: merged 2 h after creation without review; no commit facts (a webhook copy): coding 0.
  pr(people.carol, {
    createdAt: '2026-03-06T09:00:00Z',
    mergedAt: '2026-03-06T11:00:00Z',
    additions: 5,
    deletions: 5,
    commitDates: undefined,
  }),
  // D: a dependency bump, left out of everything.
  pr(people.dependabot, { createdAt: '2026-03-03T09:00:00Z', mergedAt: '2026-03-03T10:00:00Z' }),
  // E: opened Saturday, closed without merge Sunday.
  pr(people.dave, { createdAt: '2026-03-07T00:00:00Z', closedAt: '2026-03-08T00:00:00Z' }),
  // F: opened the week before, still open, reviewed this week by erin: erin is active.
  pr(people.alice, { createdAt: '2026-02-20T09:00:00Z' }, [
    review(people.erin, '2026-03-03T00:00:00Z'),
  ]),
  // G: opened the instant the next week starts.
  pr(people.bob, { createdAt: '2026-03-09T00:00:00Z' }),
  // H: a draft still: not opened.
  pr(people.erin, { createdAt: '2026-03-04T09:00:00Z', draft: true }),
];

describe('flowMetrics', () => {
  it('matches a hand-worked week', () => {
    expect(flowMetrics(handWorked, week)).toEqual({
      opened: 4, // A, B (when ready), C, E
      merged: 3, // A, B, C
      closedWithoutMerge: 1, // E
      activeContributors: 5, // authors alice, bob, carol, dave; reviewers bob, carol, alice, erin
      // [2, 36, 74]: p75 = 36 + 0.5 × 38, p90 = 36 + 0.8 × 38
      cycleTime: { count: 3, median: 36, p75: 55, p90: 66.4 },
      codingTime: { count: 3, median: 12, p75: 31, p90: 42.4 }, // [0, 12, 50]
      pickupTime: { count: 2, median: 3, p75: 3.5, p90: 3.8 }, // [2, 4]
      reviewTime: { count: 2, median: 21, p75: 21.5, p90: 21.8 }, // [20, 22]
      reviewTurnaround: { count: 3, median: 4, p75: 5, p90: 5.6 }, // [2, 4, 6]
      // bob on A; carol and alice on B; erin on F (alice on her own A and the bot on B are not peers)
      reviewsGiven: 4,
      reviewers: 4,
      reviewsPerMergedPr: 1, // (1 + 2 + 0) / 3
      mergedWithoutReviewShare: 0.33, // C
      medianLinesChanged: 50, // [10, 50, 450]
      over400LinesShare: 0.33, // A
      reworkCommits: 1, // A's commit at 15:00 after bob's review at 13:00
      reworkCommitsPerMergedPr: 0.33,
      aiAssistedShare: 0.33, // A
    });
  });

  it('gives zeros and nulls for an empty week', () => {
    expect(flowMetrics([], week)).toEqual({
      opened: 0,
      merged: 0,
      closedWithoutMerge: 0,
      activeContributors: 0,
      cycleTime: null,
      codingTime: null,
      pickupTime: null,
      reviewTime: null,
      reviewTurnaround: null,
      reviewsGiven: 0,
      reviewers: 0,
      reviewsPerMergedPr: null,
      mergedWithoutReviewShare: null,
      medianLinesChanged: null,
      over400LinesShare: null,
      reworkCommits: 0,
      reworkCommitsPerMergedPr: null,
      aiAssistedShare: null,
    });
  });

  it('counts a PR closed, reopened and merged a week later in the week it merged', () => {
    // Its stored facts are the final state: closed (by the merge) in W11.
    const reopened = pr(people.alice, {
      createdAt: '2026-03-03T09:00:00Z',
      mergedAt: '2026-03-10T09:00:00Z',
    });
    expect(flowMetrics([reopened], week)).toMatchObject({ closedWithoutMerge: 0, merged: 0 });
    expect(flowMetrics([reopened], weekBounds('2026-W11', 'UTC'))).toMatchObject({
      closedWithoutMerge: 0,
      merged: 1,
      cycleTime: { median: 168 },
    });
  });

  it('counts PRs an AI bot opened as AI-assisted team work, and not as a person', () => {
    const agent = pr(people.copilotAgent, {
      createdAt: '2026-03-03T09:00:00Z',
      mergedAt: '2026-03-03T12:00:00Z',
    });
    expect(flowMetrics([agent], week)).toMatchObject({
      merged: 1,
      aiAssistedShare: 1,
      activeContributors: 0,
    });
  });

  it("leaves out a bot's PR even when a commit names an AI co-author", () => {
    // A dependency bump whose commit Copilot co-authored: still a bot's PR, not the team's.
    const bump = pr(people.dependabot, {
      createdAt: '2026-03-03T09:00:00Z',
      mergedAt: '2026-03-03T10:00:00Z',
      coAuthors: ['copilot <175728472+copilot@users.noreply.github.com>'],
    });
    expect(flowMetrics([bump], week)).toMatchObject({ merged: 0, aiAssistedShare: null });
  });

  it('puts a merge late on Sunday UTC into the next week east of UTC', () => {
    const late = pr(people.alice, {
      createdAt: '2026-03-08T20:00:00Z',
      mergedAt: '2026-03-08T23:30:00Z',
    });
    expect(flowMetrics([late], week).merged).toBe(1);
    expect(flowMetrics([late], weekBounds('2026-W10', 'Europe/Berlin')).merged).toBe(0);
    expect(flowMetrics([late], weekBounds('2026-W11', 'Europe/Berlin')).merged).toBe(1);
  });
});

describe('quantile', () => {
  it('interpolates between closest ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7);
    expect(quantile([7], 0.9)).toBe(7);
  });
});
