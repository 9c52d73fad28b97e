import { describe, expect, it } from 'vitest';
import { agreementShares } from '#shared/metrics/agreement-shares.ts';
import { people, pr, review } from '../support/pull-request-factory.ts';

const { alice, bob, dependabot } = people;
// Monday 30 November 2026 to Monday 7 December, UTC.
const week = { start: new Date('2026-11-30T00:00:00Z'), end: new Date('2026-12-07T00:00:00Z') };
const agreements = {
  firstReviewWithinHours: 4,
  maxChangedLines: 100,
  noMergeWithoutReview: true,
  cycleTimeWithinDays: 2,
};

describe('agreementShares', () => {
  it("counts, of the week's merged PRs, how many met each agreement set", () => {
    const prs = [
      // Reviewed after 3 h, 40 lines, merged after a day: meets all four.
      pr(
        alice,
        { createdAt: '2026-11-30T09:00:00Z', mergedAt: '2026-12-01T09:00:00Z', additions: 40 },
        [review(bob, '2026-11-30T12:00:00Z')],
      ),
      // Reviewed after 5 h, 150 lines, merged after 3 days: meets only "no merge without review".
      pr(
        alice,
        {
          createdAt: '2026-11-30T09:00:00Z',
          mergedAt: '2026-12-03T09:00:00Z',
          additions: 100,
          deletions: 50,
        },
        [review(bob, '2026-11-30T14:00:00Z')],
      ),
      // Merged unreviewed within the hour, size unknown: fails review and first review, not judged on size.
      pr(bob, {
        createdAt: '2026-12-02T09:00:00Z',
        mergedAt: '2026-12-02T10:00:00Z',
        additions: undefined,
      }),
      // Not this week's merges: merged the week before, still open, a bot's bump.
      pr(alice, { createdAt: '2026-11-20T09:00:00Z', mergedAt: '2026-11-29T23:00:00Z' }),
      pr(alice, { createdAt: '2026-12-01T09:00:00Z' }),
      pr(dependabot, { createdAt: '2026-12-01T09:00:00Z', mergedAt: '2026-12-01T09:05:00Z' }),
    ];

    expect(agreementShares(prs, week, { agreements })).toEqual({
      firstReviewWithinHours: { met: 1, of: 3, target: 4 },
      maxChangedLines: { met: 1, of: 2, target: 100 },
      noMergeWithoutReview: { met: 2, of: 3, target: true },
      cycleTimeWithinDays: { met: 2, of: 3, target: 2 },
    });
  });

  it('gives nothing for a scope that set no agreement, and only the agreements set', () => {
    const merged = pr(alice, {
      createdAt: '2026-12-01T09:00:00Z',
      mergedAt: '2026-12-01T10:00:00Z',
    });
    expect(agreementShares([merged], week, { agreements: {} })).toBeUndefined();
    expect(agreementShares([merged], week, undefined)).toBeUndefined();
    expect(agreementShares([merged], week, { agreements: { maxChangedLines: 5 } })).toEqual({
      maxChangedLines: { met: 0, of: 1, target: 5 },
    });
  });
});
