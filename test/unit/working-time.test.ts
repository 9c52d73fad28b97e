import { describe, expect, it } from 'vitest';
import {
  holidaysPending,
  holidaysRunOut,
  type ResolvedCalendar,
  type WorkingCalendar,
} from '#shared/working-time/calendar.ts';
import { resolveCalendar } from '#shared/working-time/public-holidays.ts';
import { workingMs } from '#shared/working-time/working-ms.ts';

const hour = 3_600_000;
const hours = (start: string, end: string, calendar: ResolvedCalendar) =>
  workingMs(start, end, calendar) / hour;

/** Monday to Friday, whole days, no holidays, unless said otherwise. */
const calendar = (set: Partial<WorkingCalendar> & { timeZone: string }): WorkingCalendar => ({
  workingDays: [1, 2, 3, 4, 5],
  daysOff: [],
  ...set,
});
const nineToFive = { start: '09:00', end: '17:00' };
const everyDay: WorkingCalendar['workingDays'] = [1, 2, 3, 4, 5, 6, 7];
const span = { from: 2025, to: 2027 };

describe('working time of an interval', () => {
  const berlin = calendar({ timeZone: 'Europe/Berlin', workingHours: nineToFive });
  const berlinDays = calendar({ timeZone: 'Europe/Berlin' });

  it('counts nothing from Friday evening to Monday morning (the issue’s 64-hour pickup)', () => {
    // Fri 9 Jan 2026 17:00 to Mon 12 Jan 09:00 Berlin: 64 h of calendar time, none of it in 09–17.
    expect(hours('2026-01-09T17:00:00+01:00', '2026-01-12T09:00:00+01:00', berlin)).toBe(0);
    // Whole days: Friday 17:00–24:00 = 7 h, the weekend 0, Monday 00:00–09:00 = 9 h: 16 h.
    expect(hours('2026-01-09T17:00:00+01:00', '2026-01-12T09:00:00+01:00', berlinDays)).toBe(16);
  });

  it('counts only the working hours of an interval that starts and ends outside them', () => {
    // Tue 13 Jan 07:00 to Wed 14 Jan 19:00: Tuesday 09–17 (8 h) + Wednesday 09–17 (8 h) = 16 h.
    expect(hours('2026-01-13T07:00:00+01:00', '2026-01-14T19:00:00+01:00', berlin)).toBe(16);
    // Starts inside, ends after: 15:30–17:00 = 1.5 h. Starts before, ends inside: 09:00–10:15 = 1.25 h.
    expect(hours('2026-01-13T15:30:00+01:00', '2026-01-13T20:00:00+01:00', berlin)).toBe(1.5);
    expect(hours('2026-01-13T06:00:00+01:00', '2026-01-13T10:15:00+01:00', berlin)).toBe(1.25);
    // Wholly inside: 10:00–11:30 = 1.5 h; wholly after: 18:00–23:00 = 0.
    expect(hours('2026-01-13T10:00:00+01:00', '2026-01-13T11:30:00+01:00', berlin)).toBe(1.5);
    expect(hours('2026-01-13T18:00:00+01:00', '2026-01-13T23:00:00+01:00', berlin)).toBe(0);
  });

  it('counts zero for a pull request opened and merged on a Saturday', () => {
    // Sat 10 Jan 2026 10:00–18:00: not a working day, whole days or hours.
    expect(hours('2026-01-10T10:00:00+01:00', '2026-01-10T18:00:00+01:00', berlin)).toBe(0);
    expect(hours('2026-01-10T10:00:00+01:00', '2026-01-10T18:00:00+01:00', berlinDays)).toBe(0);
  });

  it('keeps 09:00–17:00 at 8 hours on the days the clocks change', () => {
    const sevenDays = { ...berlin, workingDays: everyDay };
    // Sun 29 Mar 2026 (02:00 → 03:00) lasts 23 h, Sun 25 Oct (03:00 → 02:00) 25 h; 09–17 is 8 h on each.
    expect(hours('2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', sevenDays)).toBe(8);
    expect(hours('2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00', sevenDays)).toBe(8);
  });

  it('counts a whole working day for its real length across a change: 23 or 25 hours', () => {
    const sevenDays = { ...berlinDays, workingDays: everyDay };
    // Sat 28 Mar 00:00 (+01) to Mon 30 Mar 00:00 (+02): Saturday 24 h + Sunday 23 h = 47 h, the calendar time.
    expect(hours('2026-03-28T00:00:00+01:00', '2026-03-30T00:00:00+02:00', sevenDays)).toBe(47);
    // Sun 25 Oct 00:00 (+02) to Mon 26 Oct 00:00 (+01): 25 h.
    expect(hours('2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00', sevenDays)).toBe(25);
  });

  it('counts hours that hold the change as the clock spends them: 7 in spring, 9 in autumn', () => {
    const nights = calendar({
      timeZone: 'Europe/Berlin',
      workingDays: everyDay,
      workingHours: { start: '00:00', end: '08:00' },
    });
    // 29 Mar: 00:00–02:00 (2 h), the clock jumps to 03:00, 03:00–08:00 (5 h) = 7 h.
    expect(hours('2026-03-29T00:00:00+01:00', '2026-03-29T12:00:00+02:00', nights)).toBe(7);
    // 25 Oct: 00:00–03:00 summer time (3 h), back to 02:00, 02:00–08:00 winter time (6 h) = 9 h.
    expect(hours('2026-10-25T00:00:00+02:00', '2026-10-25T12:00:00+01:00', nights)).toBe(9);
  });

  it('counts a day whose midnight the clock skips from 01:00 (Santiago, 6 Sep 2026)', () => {
    // Sat 5 Sep 24:00 (-04) becomes Sun 6 Sep 01:00 (-03): Sunday lasts 23 h.
    const santiago = calendar({ timeZone: 'America/Santiago', workingDays: everyDay });
    // Sat 12:00 (-04) to Sun 12:00 (-03): Saturday 12:00–24:00 (12 h) + Sunday 01:00–12:00 (11 h) = 23 h.
    expect(hours('2026-09-05T12:00:00-04:00', '2026-09-06T12:00:00-03:00', santiago)).toBe(23);
    expect(hours('2026-09-06T01:00:00-03:00', '2026-09-07T00:00:00-03:00', santiago)).toBe(23);
  });

  it('reads days and hours on the calendar’s own clock, east and west of UTC', () => {
    const tokyo = calendar({
      timeZone: 'Asia/Tokyo',
      workingHours: { start: '09:00', end: '18:00' },
    });
    // 11 Jan 23:30 UTC is Monday 08:30 in Tokyo (UTC+9); to 01:00 UTC = 10:00: 09:00–10:00 = 1 h.
    expect(hours('2026-01-11T23:30:00Z', '2026-01-12T01:00:00Z', tokyo)).toBe(1);
    // 12 Jan 23:00 UTC (Tue 08:00) to 13 Jan 10:00 UTC (Tue 19:00): 09:00–18:00 = 9 h.
    expect(hours('2026-01-12T23:00:00Z', '2026-01-13T10:00:00Z', tokyo)).toBe(9);
    const losAngeles = calendar({ timeZone: 'America/Los_Angeles', workingHours: nineToFive });
    // 10 Jan 00:30 UTC is a Saturday in UTC but Friday 16:30 in Los Angeles (UTC-8): 16:30–17:00 = 0.5 h.
    expect(hours('2026-01-10T00:30:00Z', '2026-01-10T02:00:00Z', losAngeles)).toBe(0.5);
    const auckland = calendar({ timeZone: 'Pacific/Auckland' });
    // 9 Jan 10:30 UTC is Friday 23:30 in Auckland (UTC+13, its summer): to Saturday 00:30 = 0.5 h.
    expect(hours('2026-01-09T10:30:00Z', '2026-01-09T11:30:00Z', auckland)).toBe(0.5);
  });

  it('works a Sunday to Thursday week', () => {
    const jerusalem = calendar({
      timeZone: 'Asia/Jerusalem',
      workingDays: [7, 1, 2, 3, 4],
      workingHours: { start: '09:00', end: '18:00' },
    });
    // Thu 15 Jan 17:00 to Sun 18 Jan 10:00 (UTC+2): Thursday 1 h + Friday, Saturday 0 + Sunday 1 h = 2 h.
    expect(hours('2026-01-15T17:00:00+02:00', '2026-01-18T10:00:00+02:00', jerusalem)).toBe(2);
  });

  it('leaves out public holidays and a calendar’s own days off', () => {
    const bavaria = resolveCalendar({ ...berlin, holidays: { country: 'DE', state: 'BY' } }, span);
    // Thu 2 Apr 16:00 to Tue 7 Apr 10:00 2026: Thursday 1 h + Good Friday 0 + weekend 0
    // + Easter Monday 0 + Tuesday 1 h = 2 h.
    expect(hours('2026-04-02T16:00:00+02:00', '2026-04-07T10:00:00+02:00', bavaria)).toBe(2);
    // Wed 23 Dec 12:00 to Mon 28 Dec 12:00: Wednesday 5 h + Thursday 24th 8 h (a bank
    // holiday, not a public one) + Christmas 25th, 26th (a Saturday) and Sunday 0 + Monday 3 h = 16 h;
    expect(hours('2026-12-23T12:00:00+01:00', '2026-12-28T12:00:00+01:00', bavaria)).toBe(16);
    // with the 24th as a day off of the calendar's own: 8 h.
    const closed = { ...bavaria, daysOff: ['2026-12-24'] };
    expect(hours('2026-12-23T12:00:00+01:00', '2026-12-28T12:00:00+01:00', closed)).toBe(8);
  });

  it('takes nothing more for a holiday on a weekend, but its substitute day off', () => {
    const bavaria = resolveCalendar(
      { ...berlinDays, holidays: { country: 'DE', state: 'BY' } },
      span,
    );
    // All Saints' Day, Sun 1 Nov 2026, has no substitute in Bavaria: Fri 30 Oct 17:00 to
    // Mon 2 Nov 09:00 is Friday 7 h + Monday 9 h = 16 h, as on any weekend.
    expect(hours('2026-10-30T17:00:00+01:00', '2026-11-02T09:00:00+01:00', bavaria)).toBe(16);
    const england = resolveCalendar(
      calendar({
        timeZone: 'Europe/London',
        workingHours: nineToFive,
        holidays: { country: 'GB', state: 'ENG' },
      }),
      span,
    );
    // Boxing Day is Sat 26 Dec 2026, so Mon 28 Dec is off in its stead. Thu 24 Dec 09:00 to
    // Tue 29 Dec 17:00: Thursday 8 h + Christmas (Fri) 0 + weekend 0 + substitute Monday 0 + Tuesday 8 h = 16 h.
    expect(hours('2026-12-24T09:00:00Z', '2026-12-29T17:00:00Z', england)).toBe(16);
  });

  it('is negative when the end comes first, as calendar time is, and zero for no time', () => {
    // The reverse of Tuesday 15:30–20:00 (1.5 h).
    expect(hours('2026-01-13T20:00:00+01:00', '2026-01-13T15:30:00+01:00', berlin)).toBe(-1.5);
    expect(hours('2026-01-13T10:00:00+01:00', '2026-01-13T10:00:00+01:00', berlin)).toBe(0);
  });

  it('counts a year beyond the resolved ones as if it had no public holidays', () => {
    const bavaria = resolveCalendar({ ...berlin, holidays: { country: 'DE', state: 'BY' } }, span);
    // Epiphany is a public holiday in Bavaria: Wed 6 Jan 2027 (resolved) counts nothing,
    // Thu 6 Jan 2028 (not resolved) its hour 10:00–11:00.
    expect(hours('2027-01-06T10:00:00+01:00', '2027-01-06T11:00:00+01:00', bavaria)).toBe(0);
    expect(hours('2028-01-06T10:00:00+01:00', '2028-01-06T11:00:00+01:00', bavaria)).toBe(1);
    // Resolved through 2027: in 2027 (next year unknown) it is time to resolve again, not in 2026.
    expect(holidaysRunOut(bavaria, new Date('2027-06-01T00:00:00Z'))).toBe(true);
    expect(holidaysRunOut(bavaria, new Date('2026-06-01T00:00:00Z'))).toBe(false);
    expect(holidaysRunOut(berlin, new Date('2099-06-01T00:00:00Z'))).toBe(false);
  });

  it('counts a calendar whose holidays are still being resolved as if it had none', () => {
    const pending = { ...berlin, holidays: { country: 'DE' } };
    // Thu 1 Jan 2026 is New Year's Day, but no dates are stored yet: 10:00–11:00 counts its hour.
    expect(hours('2026-01-01T10:00:00+01:00', '2026-01-01T11:00:00+01:00', pending)).toBe(1);
    expect(holidaysPending(pending)).toBe(true);
    expect(holidaysPending(resolveCalendar(pending, span))).toBe(false);
  });

  it('refuses what is not an instant', () => {
    expect(() => workingMs('next Tuesday', '2026-01-13T10:00:00Z', berlin)).toThrow(
      'not an instant: next Tuesday',
    );
  });
});
