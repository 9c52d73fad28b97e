import { describe, expect, it } from 'vitest';
import { isoWeek, weeksTouched } from '#shared/metrics/weeks.ts';

describe('isoWeek', () => {
  it.each([
    ['2026-11-22T23:59:59Z', '2026-W47'], // a Sunday ends its week
    ['2026-11-23T00:00:00Z', '2026-W48'], // a Monday starts the next
    ['2026-01-01T12:00:00Z', '2026-W01'], // a Thursday: week 1 of its own year
    ['2027-01-01T12:00:00Z', '2026-W53'], // a Friday: the last week of the year before
    ['2024-12-30T08:00:00Z', '2025-W01'], // a Monday in December can open next year's week 1
  ])('puts %s in %s', (when, week) => {
    expect(isoWeek(when)).toBe(week);
  });
});

describe('weeksTouched', () => {
  it('collects the weeks a pull request was opened, merged and reviewed in, once each', () => {
    const weeks = weeksTouched([
      {
        createdAt: '2026-11-02T10:00:00Z',
        mergedAt: '2026-11-17T10:00:00Z',
        closedAt: '2026-11-17T10:00:00Z',
        reviews: { '1': { submittedAt: '2026-11-10T10:00:00Z' }, '2': { submittedAt: null } },
      },
      { createdAt: '2026-11-03T10:00:00Z', mergedAt: null, closedAt: null },
    ]);

    expect(weeks).toEqual(['2026-W45', '2026-W46', '2026-W47']);
  });
});
