import { describe, expect, it } from 'vitest';
import { isTimeZone, shiftWeek, weekBounds, weekIn } from '#shared/metrics/time-zone.ts';

describe('weeks in a time zone', () => {
  it('starts a UTC week at Monday midnight UTC', () => {
    expect(weekBounds('2026-W10', 'UTC')).toEqual({
      start: new Date('2026-03-02T00:00:00Z'),
      end: new Date('2026-03-09T00:00:00Z'),
    });
  });

  it('starts a week at local Monday midnight, 167 hours long over the spring DST change', () => {
    // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
    const { start, end } = weekBounds('2026-W13', 'Europe/Berlin');
    expect(start).toEqual(new Date('2026-03-22T23:00:00Z'));
    expect(end).toEqual(new Date('2026-03-29T22:00:00Z'));
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(167);
  });

  it('is 169 hours long over the autumn change, west of UTC', () => {
    // New York moves from UTC-4 to UTC-5 on Sunday 1 November 2026.
    const { start, end } = weekBounds('2026-W44', 'America/New_York');
    expect(start).toEqual(new Date('2026-10-26T04:00:00Z'));
    expect(end).toEqual(new Date('2026-11-02T05:00:00Z'));
  });

  it('names the week an instant falls in on the local calendar', () => {
    expect(weekIn('2026-03-08T23:30:00Z', 'UTC')).toBe('2026-W10');
    expect(weekIn('2026-03-08T23:30:00Z', 'Europe/Berlin')).toBe('2026-W11');
    expect(weekIn('2026-03-09T03:00:00Z', 'America/Los_Angeles')).toBe('2026-W10');
  });

  it('handles the ISO year boundary', () => {
    expect(weekBounds('2026-W53', 'UTC').start).toEqual(new Date('2026-12-28T00:00:00Z'));
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeek('2027-W01', -1)).toBe('2026-W53');
  });

  it('knows time zone names', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
