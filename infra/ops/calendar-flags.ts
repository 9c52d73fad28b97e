import type { CountTime } from '#shared/store/working-calendars.ts';
import {
  type CalendarSettings,
  type CalendarSettingsChange,
  calendarInWords,
  effectiveCalendar,
  typedHolidays,
  typedWorkingDays,
  typedWorkingHours,
} from '#shared/store/working-calendars.ts';
import { givesAny } from './flag-set.ts';

/** `npm run settings`' flags of a working calendar, the organisation's or a team's (`--team`). */
export const calendarOptions = {
  'working-days': { type: 'string' },
  'working-hours': { type: 'string' },
  holidays: { type: 'string' },
  'days-off': { type: 'string' },
  'count-time': { type: 'string' },
  'working-calendar': { type: 'string' },
} as const;

export const calendarUsage =
  '[--working-days mon,tue,wed,thu,fri] [--working-hours 09:00-17:00|""] [--holidays <country[-state[-region]]>|""] [--days-off 2026-12-24,...|""] [--count-time calendar|working] [--working-calendar none]';

type CalendarFlags = Partial<Record<keyof typeof calendarOptions, string>>;

export const givesCalendar = givesAny(calendarOptions);

/**
 * The change the flags ask for: `--working-calendar none` clears the
 * calendar (a team then follows the organisation's); anything else is left
 * for the schema to refuse by name.
 */
export function calendarChange(flags: CalendarFlags): CalendarSettingsChange {
  const parts = {
    ...(flags['working-days'] === undefined
      ? {}
      : { workingDays: typedWorkingDays(flags['working-days']) }),
    ...(flags['working-hours'] === undefined
      ? {}
      : { workingHours: typedWorkingHours(flags['working-hours']) }),
    ...(flags.holidays === undefined ? {} : { holidays: typedHolidays(flags.holidays) }),
    ...(flags['days-off'] === undefined
      ? {}
      : {
          daysOff: flags['days-off']
            .split(',')
            .map((date) => date.trim())
            .filter(Boolean),
        }),
  };
  const clear = flags['working-calendar'];
  if (clear !== undefined && clear !== 'none')
    throw new CalendarFlagError(`--working-calendar takes none, not ${clear}`);
  return {
    ...(clear === 'none'
      ? { calendar: null }
      : Object.keys(parts).length > 0
        ? { calendar: parts }
        : {}),
    ...(flags['count-time'] === undefined ? {} : { countTime: flags['count-time'] as CountTime }),
  };
}

export class CalendarFlagError extends Error {}

/** The lines `npm run settings` shows of a scope's calendar and clock. */
export function calendarLines(own: CalendarSettings, follows?: CalendarSettings): string {
  const { calendar, countTime } = effectiveCalendar(own, follows);
  if (!calendar) return `  count time  ${countTime} hours (no working calendar set)`;
  const whose = own.workingCalendar || !follows ? '' : " (the organisation's)";
  const dates = calendar.publicHolidays
    ? `\n  holidays    ${calendar.publicHolidays.dates.length} dates resolved, ${calendar.publicHolidays.from}–${calendar.publicHolidays.to}`
    : '';
  return `  count time  ${countTime} hours
  calendar    ${calendarInWords(calendar)}${whose}${dates}`;
}
