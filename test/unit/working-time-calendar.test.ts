import { describe, expect, it } from 'vitest';
import { describeIssues } from '#shared/schema-issues.ts';
import { workingCalendarSchema } from '#shared/working-time/calendar-schema.ts';

/** What the schema says about `input`: its calendar, or its reasons. */
function parsed(input: unknown) {
  const result = workingCalendarSchema.safeParse(input);
  return result.success ? result.data : describeIssues(result.error);
}

describe('a working calendar as set', () => {
  it('defaults to whole days Monday to Friday, no holidays, no days off', () => {
    expect(parsed({ timeZone: 'Europe/Berlin' })).toEqual({
      timeZone: 'Europe/Berlin',
      workingDays: [1, 2, 3, 4, 5],
      daysOff: [],
    });
  });

  it('stores equal calendars alike: days in order once, codes in upper case, dates in order', () => {
    expect(
      parsed({
        timeZone: 'Asia/Jerusalem',
        workingDays: [4, 7, 1, 2, 3, 1],
        workingHours: { start: '08:30', end: '17:00' },
        holidays: { country: 'de', state: ' by', region: 'a' },
        daysOff: ['2026-12-31', '2026-12-24', '2026-12-31'],
      }),
    ).toEqual({
      timeZone: 'Asia/Jerusalem',
      workingDays: [1, 2, 3, 4, 7],
      workingHours: { start: '08:30', end: '17:00' },
      holidays: { country: 'DE', state: 'BY', region: 'A' },
      daysOff: ['2026-12-24', '2026-12-31'],
    });
  });

  it('refuses a bad calendar with a reason for each fault', () => {
    expect(
      parsed({
        timeZone: 'Mars/Olympus',
        workingDays: [],
        workingHours: { start: '17:00', end: '09:00' },
        holidays: { country: 'XX' },
        daysOff: ['2026-02-30'],
      }),
    ).toEqual([
      'timeZone: not an IANA time zone: Mars/Olympus',
      'workingDays: empty working week: at least one working day',
      'workingHours: working hours end before they start (17:00 to 09:00)',
      'holidays: unknown country XX',
      'daysOff.0: not a date YYYY-MM-DD: 2026-02-30',
    ]);
  });

  it('names the day and time it does not know', () => {
    expect(
      parsed({
        timeZone: 'UTC',
        workingDays: [0, 8, 2.5],
        workingHours: { start: '9:00', end: '24:00' },
        holidays: { country: 'DE', state: 'ZZ' },
      }),
    ).toEqual([
      'workingDays.0: a working day is 1 (Monday) to 7 (Sunday), not 0',
      'workingDays.1: a working day is 1 (Monday) to 7 (Sunday), not 8',
      'workingDays.2: a working day is 1 (Monday) to 7 (Sunday), not 2.5',
      'workingHours.start: not a time of day HH:MM: 9:00',
      'workingHours.end: not a time of day HH:MM: 24:00',
      'holidays: unknown state ZZ of DE',
    ]);
  });

  it('refuses working hours that end as they start', () => {
    expect(parsed({ timeZone: 'UTC', workingHours: { start: '09:00', end: '09:00' } })).toEqual([
      'workingHours: working hours end when they start (09:00): no working time',
    ]);
  });
});
