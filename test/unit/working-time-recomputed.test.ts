import { describe, expect, it } from 'vitest';
import { randomFor } from '#infra/local/github-sim/random.ts';
import type { ResolvedCalendar, WorkingCalendar } from '#shared/working-time/calendar.ts';
import { resolveCalendar } from '#shared/working-time/public-holidays.ts';
import { workingMs } from '#shared/working-time/working-ms.ts';
import { recomputedWorkingMs } from '../support/recomputed-working-time.ts';

const minute = 60_000;
const day = 86_400_000;
const span = { from: 2024, to: 2028 };

/** A calendar and the days its clocks change (or turn a year), where intervals cluster. */
const cases: { name: string; calendar: WorkingCalendar; around: string[] }[] = [
  {
    name: 'Berlin, Monday to Friday 09:00–17:00, Bavaria’s holidays and a day off',
    calendar: {
      timeZone: 'Europe/Berlin',
      workingDays: [1, 2, 3, 4, 5],
      workingHours: { start: '09:00', end: '17:00' },
      holidays: { country: 'DE', state: 'BY' },
      daysOff: ['2026-12-24'],
    },
    around: ['2026-03-29', '2026-10-25', '2026-12-25', '2026-04-03'],
  },
  {
    name: 'New York, whole days Monday to Friday, US holidays',
    calendar: {
      timeZone: 'America/New_York',
      workingDays: [1, 2, 3, 4, 5],
      holidays: { country: 'US' },
      daysOff: [],
    },
    around: ['2026-03-08', '2026-11-01', '2026-07-03', '2026-12-31'],
  },
  {
    name: 'Tokyo, 09:30–18:15, Japan’s holidays (east of UTC, no summer time)',
    calendar: {
      timeZone: 'Asia/Tokyo',
      workingDays: [1, 2, 3, 4, 5],
      workingHours: { start: '09:30', end: '18:15' },
      holidays: { country: 'JP' },
      daysOff: [],
    },
    around: ['2026-05-04', '2026-09-21', '2026-12-31'],
  },
  {
    name: 'Santiago, Sunday to Thursday 00:00–10:00 (its clocks change at midnight)',
    calendar: {
      timeZone: 'America/Santiago',
      workingDays: [7, 1, 2, 3, 4],
      workingHours: { start: '00:00', end: '10:00' },
      holidays: { country: 'CL' },
      daysOff: [],
    },
    around: ['2026-04-05', '2026-09-06'],
  },
  {
    name: 'Lord Howe, every day 01:45–02:45, around its half-hour change at 02:00',
    calendar: {
      timeZone: 'Australia/Lord_Howe',
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      workingHours: { start: '01:45', end: '02:45' },
      daysOff: [],
    },
    around: ['2026-04-05', '2026-10-04'],
  },
];

/** Intervals on whole minutes: most short (a review's wait), some over days, half near a change. */
function intervals(name: string, around: string[], count: number): [number, number][] {
  const random = randomFor('working-time', name);
  return Array.from({ length: count }, () => {
    const near = random.chance(0.5)
      ? Date.parse(`${random.pick(around)}T00:00:00Z`) + random.int(-2 * 1440, 2 * 1440) * minute
      : Date.UTC(2025, 0, 1) + random.int(0, 3 * 365 * 1440) * minute;
    const length = random.chance(0.7) ? random.int(0, 12 * 60) : random.int(0, 9 * 1440);
    return [near, near + length * minute];
  });
}

describe('working time against a minute-by-minute recomputation', () => {
  for (const { name, calendar, around } of cases) {
    it(name, () => {
      const resolved = resolveCalendar(calendar, span);
      const pairs = intervals(name, around, 60);
      const computed = pairs.map(([start, end]) => workingMs(start, end, resolved));
      const recomputed = pairs.map(([start, end]) => recomputedWorkingMs(start, end, resolved));
      expect(computed).toEqual(recomputed);
      // A test whose intervals held no working time could not fail.
      expect(computed.filter((ms) => ms > 0).length).toBeGreaterThan(20);
    });
  }

  it('counts every day of a seven-day week without holidays as calendar time', () => {
    const always: ResolvedCalendar = {
      timeZone: 'Europe/London',
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      daysOff: [],
    };
    for (const [start, end] of intervals('always', ['2026-03-29', '2026-10-25'], 200)) {
      expect(workingMs(start, end, always)).toBe(end - start);
    }
    // Across a year's turn and a whole year's intervals too.
    expect(workingMs(Date.UTC(2025, 5, 1), Date.UTC(2026, 5, 1) + day, always)).toBe(366 * day);
  });
});
