import * as z from 'zod/mini';
import { type Clock, calendarClock, workingClock } from '../metrics/clock.ts';
import type {
  HolidayRegion,
  ResolvedCalendar,
  Weekday,
  WorkingCalendar,
  WorkingHours,
} from '../working-time/calendar.ts';
import { defaultWorkingDays, holidaysPending } from '../working-time/calendar.ts';
import { workingCalendarSchema } from '../working-time/calendar-schema.ts';
import { holidayRegionCode } from '../working-time/holiday-regions.ts';

/**
 * A working calendar as an installation or a team stores it: without its
 * time zone, which is the installation's or the team's (a zone changed
 * later carries the calendar with it), with its public holidays resolved
 * to dates (public-holidays.ts) — at once by `npm run settings`, by the
 * holidays function shortly after a settings page saved it.
 */
export type StoredCalendar = Omit<ResolvedCalendar, 'timeZone'>;

/** Which clock a scope's durations are shown in: calendar hours (the default, as DORA counts) or working hours. */
export const countTimes = ['calendar', 'working'] as const;
export type CountTime = (typeof countTimes)[number];

export const countTimeSchema = z.enum(countTimes, {
  error: (issue) => `count time as calendar or working, not ${String(issue.input)}`,
});

/** What a person changes of a calendar; omitted parts stay as stored, null clears one. */
export interface CalendarChange {
  workingDays?: Weekday[];
  /** null: whole days. */
  workingHours?: WorkingHours | null;
  /** null: no public holidays. */
  holidays?: HolidayRegion | null;
  daysOff?: string[];
}

/** Resolves a calendar's public holidays to dates: only where the holiday data set may be loaded (`npm run settings`, the holidays function). */
export type HolidayResolver = (calendar: WorkingCalendar) => ResolvedCalendar;

/**
 * The calendar a change makes of the stored one (the defaults when none
 * is stored), validated in `timeZone` (workingCalendarSchema: an empty week,
 * hours that end before they start, a region `date-holidays` does not know,
 * a bad date are refused by name). Its holidays are resolved by `resolve`;
 * without one (the dashboard, whose bundle cannot hold the data set) the
 * stored dates are kept while the region stays, and a new region is stored
 * without dates (`holidaysPending`) for the holidays function to resolve.
 */
export function changedCalendar(
  stored: StoredCalendar | undefined,
  change: CalendarChange,
  timeZone: string,
  resolve?: HolidayResolver,
): StoredCalendar {
  const pick = <T>(given: T | null | undefined, kept: T | undefined) =>
    given === undefined ? kept : (given ?? undefined);
  const holidays = pick(change.holidays, stored?.holidays);
  const calendar = workingCalendarSchema.parse({
    timeZone,
    workingDays: change.workingDays ?? stored?.workingDays,
    ...optional('workingHours', pick(change.workingHours, stored?.workingHours)),
    ...optional('holidays', holidays),
    daysOff: change.daysOff ?? stored?.daysOff,
  });
  const sameRegion = JSON.stringify(calendar.holidays) === JSON.stringify(stored?.holidays);
  let resolved: ResolvedCalendar = calendar;
  if (calendar.holidays && resolve) resolved = resolve(calendar);
  else if (calendar.holidays && sameRegion && stored?.publicHolidays)
    resolved = { ...calendar, publicHolidays: stored.publicHolidays };
  const { timeZone: _zone, ...kept } = resolved;
  return kept;
}

const optional = <K extends string, T>(key: K, value: T | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, T>>;

/** A stored calendar ready to count with, in the zone of whoever it belongs to. */
export function inZone(calendar: StoredCalendar, timeZone: string): ResolvedCalendar {
  return { ...calendar, timeZone };
}

/** `--working-days mon,tue,wed,thu,fri` (or 1..7): the week as the schema takes it; anything else left for it to refuse. */
export function typedWorkingDays(text: string): Weekday[] {
  const names = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return text
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
    .map((part) => {
      const named = names.indexOf(part.slice(0, 3));
      return (/^[1-7]$/.test(part) ? Number(part) : named >= 0 ? named + 1 : part) as Weekday;
    });
}

/** `--working-hours 09:00-17:00`; "" is whole days. */
export function typedWorkingHours(text: string): WorkingHours | null {
  if (text.trim() === '') return null;
  const [start = '', end = ''] = text.split('-').map((part) => part.trim());
  return { start, end };
}

/** `--holidays DE`, `DE-BY`, `DE-BY-A`; "" is none. */
export function typedHolidays(text: string): HolidayRegion | null {
  if (text.trim() === '') return null;
  const [country = '', state, region] = text.split('-').map((part) => part.trim());
  return { country, ...(state ? { state } : {}), ...(region ? { region } : {}) };
}

/** What a settings change may say of the working calendar: changed, or cleared (null), and the clock shown. */
export interface CalendarSettingsChange {
  calendar?: CalendarChange | null;
  countTime?: CountTime;
}

/** The calendar and clock a scope (an installation, a team) has set for itself. */
export interface CalendarSettings {
  workingCalendar?: StoredCalendar;
  countTime?: CountTime;
}

const defaultCalendar: StoredCalendar = { workingDays: [...defaultWorkingDays], daysOff: [] };

/**
 * The calendar a scope's working time is counted on: its own, else the one
 * it follows (a team follows the organisation), else — when it counts time
 * in working hours without having set one — Monday to Friday; none
 * otherwise (its figures are in calendar hours only).
 */
export function effectiveCalendar(
  own: CalendarSettings,
  follows: CalendarSettings = {},
): { calendar: StoredCalendar | undefined; countTime: CountTime } {
  const countTime = own.countTime ?? follows.countTime ?? 'calendar';
  const calendar =
    own.workingCalendar ??
    follows.workingCalendar ??
    (countTime === 'working' ? defaultCalendar : undefined);
  return { calendar, countTime };
}

/**
 * The calendar settings a change makes of the stored ones (validated and
 * resolved by `changedCalendar`), and whether the calendar working time is
 * counted on changed — then recent weeks are rolled up again, as a rule
 * change does. With `resolve`, a stored calendar whose holidays are still
 * pending is resolved too, though the change leaves it as it is.
 */
export function changedCalendarSettings(
  stored: CalendarSettings,
  change: CalendarSettingsChange,
  timeZone: string,
  follows?: CalendarSettings,
  resolve?: HolidayResolver,
): { settings: CalendarSettings; recount: boolean } {
  const workingCalendar =
    change.calendar === null
      ? undefined
      : change.calendar === undefined && !(resolve && holidaysPending(stored.workingCalendar))
        ? stored.workingCalendar
        : changedCalendar(
            stored.workingCalendar ?? follows?.workingCalendar,
            change.calendar ?? {},
            timeZone,
            resolve,
          );
  const settings = {
    ...(workingCalendar ? { workingCalendar } : {}),
    ...((change.countTime ?? stored.countTime)
      ? { countTime: change.countTime ?? stored.countTime }
      : {}),
  };
  const counted = (scope: CalendarSettings) =>
    JSON.stringify(effectiveCalendar(scope, follows).calendar);
  return { settings, recount: counted(settings) !== counted(stored) };
}

const dayNames = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A calendar in words: "Mon Tue Wed Thu Fri, 09:00–17:00, public holidays of DE-BY, 1 day off". */
export function calendarInWords(calendar: StoredCalendar): string {
  const region = calendar.holidays ? holidayRegionCode(calendar.holidays) : undefined;
  return [
    calendar.workingDays.map((day) => dayNames[day]).join(' '),
    calendar.workingHours
      ? `${calendar.workingHours.start}–${calendar.workingHours.end}`
      : 'whole days',
    region ? `public holidays of ${region}` : 'no public holidays',
    ...(calendar.daysOff.length > 0 ? [`days off ${calendar.daysOff.join(', ')}`] : []),
  ].join(', ');
}

/**
 * The clock a scope's durations are shown on (its choice, else the one it
 * follows), the measure that counts them, and the words that name it.
 */
export function shownClock(
  own: CalendarSettings,
  timeZone: string,
  follows?: CalendarSettings,
): { countTime: CountTime; measure: Clock; words: string } {
  const { calendar, countTime } = effectiveCalendar(own, follows);
  if (countTime === 'calendar' || !calendar)
    return { countTime: 'calendar', measure: calendarClock, words: 'calendar hours' };
  return {
    countTime,
    measure: workingClock(inZone(calendar, timeZone)),
    words: `working hours (${calendarInWords(calendar)}; ${timeZone})`,
  };
}
