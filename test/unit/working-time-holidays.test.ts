import { describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '#shared/working-time/calendar.ts';
import { holidayRegionProblem } from '#shared/working-time/holiday-regions.ts';
import {
  holidayYears,
  publicHolidays,
  resolveCalendar,
} from '#shared/working-time/public-holidays.ts';

describe('public holidays from date-holidays', () => {
  it('gives a country’s public holidays, and its state’s beside them', () => {
    const germany = ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14'];
    const autumn = ['2026-10-03', '2026-12-25', '2026-12-26'];
    expect(publicHolidays({ country: 'DE' }, 2026)).toEqual([...germany, '2026-05-25', ...autumn]);
    // Bavaria adds Epiphany, Corpus Christi and All Saints' Day.
    expect(publicHolidays({ country: 'DE', state: 'BY' }, 2026)).toEqual([
      '2026-01-01',
      '2026-01-06',
      ...germany.slice(1),
      '2026-05-25',
      '2026-06-04',
      '2026-10-03',
      '2026-11-01',
      '2026-12-25',
      '2026-12-26',
    ]);
  });

  it('leaves out bank holidays and observances (24 and 31 December in Germany)', () => {
    expect(publicHolidays({ country: 'DE' }, 2026)).not.toContain('2026-12-24');
    expect(publicHolidays({ country: 'DE' }, 2026)).not.toContain('2026-12-31');
  });

  it('gives the substitute day of a holiday on a weekend', () => {
    // Boxing Day, Sat 26 Dec 2026 → Mon 28 Dec; Independence Day, Sat 4 Jul 2026 → Fri 3 Jul.
    expect(publicHolidays({ country: 'GB', state: 'ENG' }, 2026)).toEqual(
      expect.arrayContaining(['2026-12-26', '2026-12-28']),
    );
    expect(publicHolidays({ country: 'US' }, 2026)).toEqual(
      expect.arrayContaining(['2026-07-03', '2026-07-04']),
    );
  });

  it('gives each day of a holiday of several days', () => {
    // Eid al-Fitr 2025 in the Emirates: three days from 30 March.
    expect(publicHolidays({ country: 'AE' }, 2025)).toEqual(
      expect.arrayContaining(['2025-03-30', '2025-03-31', '2025-04-01']),
    );
  });

  it('computes a region’s year once', () => {
    expect(publicHolidays({ country: 'FR' }, 2026)).toBe(publicHolidays({ country: 'FR' }, 2026));
  });

  it('refuses a region date-holidays does not know, naming what it does not know', () => {
    expect(() => publicHolidays({ country: 'XX' }, 2026)).toThrow('unknown country XX');
    expect(holidayRegionProblem({ country: 'DE', state: 'ZZ' })).toBe('unknown state ZZ of DE');
    expect(holidayRegionProblem({ country: 'DE', state: 'BY', region: 'Q' })).toBe(
      'unknown region Q of DE-BY',
    );
    expect(holidayRegionProblem({ country: 'DE', region: 'A' })).toBe('a region needs its state');
    expect(holidayRegionProblem({ country: 'DE', state: 'BY' })).toBeUndefined();
  });
});

describe('a calendar resolved for storing', () => {
  const span2026 = { from: 2026, to: 2026 };
  const calendar: WorkingCalendar = {
    timeZone: 'Europe/Berlin',
    workingDays: [1, 2, 3, 4, 5],
    daysOff: [],
  };

  it('carries its public holidays for every year of GitHub’s history and ten years ahead', () => {
    const span = holidayYears(new Date('2026-06-01T00:00:00Z'));
    expect(span).toEqual({ from: 2008, to: 2036 });
    const resolved = resolveCalendar({ ...calendar, holidays: { country: 'DE' } }, span);
    const dates = resolved.publicHolidays?.dates ?? [];
    expect(resolved.publicHolidays).toMatchObject({ from: 2008, to: 2036 });
    expect([dates[0], dates.at(-1)]).toEqual(['2008-01-01', '2036-12-26']);
    expect(dates).toEqual([...dates].sort());
    // Reformation Day was a public holiday in all of Germany once, in 2017.
    expect(dates.filter((date) => date.endsWith('-10-31'))).toEqual(['2017-10-31']);
  });

  it('drops the dates of a region the calendar no longer names', () => {
    const resolved = resolveCalendar({ ...calendar, holidays: { country: 'FR' } }, span2026);
    const { holidays: _dropped, ...without } = resolved;
    expect(resolveCalendar(without, span2026)).toEqual(calendar);
  });
});
