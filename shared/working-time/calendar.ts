/**
 * A working calendar: when a team works, in its own time zone. The shape a
 * person sets (`WorkingCalendar`, validated by calendar-schema.ts) and the
 * shape working time is computed from (`ResolvedCalendar`: the same, with
 * its public holidays resolved to dates by public-holidays.ts when it is
 * saved). Nothing here imports a holiday data set, so the computation
 * does not either.
 */

/** ISO weekday: 1 = Monday … 7 = Sunday, as `localDayAndHour` counts them. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Monday to Friday: the working week unless a calendar says otherwise. */
export const defaultWorkingDays: Weekday[] = [1, 2, 3, 4, 5];

/** Wall-clock times `HH:MM` in the calendar's time zone; `end` after `start` on the same day. */
export interface WorkingHours {
  start: string;
  end: string;
}

/** Where public holidays come from: a country of `date-holidays`, optionally its state and the state's region. */
export interface HolidayRegion {
  country: string;
  state?: string;
  region?: string;
}

export interface WorkingCalendar {
  /** IANA time zone the days and hours are read in. */
  timeZone: string;
  /** Never empty. */
  workingDays: Weekday[];
  /** Absent: whole days. */
  workingHours?: WorkingHours;
  /** Absent: no public holidays. */
  holidays?: HolidayRegion;
  /** Further days off (`YYYY-MM-DD`), e.g. a company's own closing days. */
  daysOff: string[];
}

/** Public holiday dates (`YYYY-MM-DD`) of the calendar's region for the years `from` to `to`, both included. */
export interface ResolvedHolidays {
  from: number;
  to: number;
  dates: string[];
}

/**
 * A calendar ready to count with: one with `holidays` carries their dates
 * (or soon will: `holidaysPending`, when it counts as if it had none).
 * A day outside the resolved years counts as if it were no holiday: commit
 * dates can be years off (a clock at 1970, a rebased branch), and one such
 * commit must not stop a rollup. `holidaysRunOut` says when to resolve again.
 */
export interface ResolvedCalendar extends WorkingCalendar {
  publicHolidays?: ResolvedHolidays;
}

/**
 * Whether a calendar names a holiday region whose dates are not stored yet:
 * a settings page saved it, and the holidays function has still to resolve
 * them (`npm run settings` resolves at once).
 */
export function holidaysPending(
  calendar: Pick<ResolvedCalendar, 'holidays' | 'publicHolidays'> | undefined,
): boolean {
  return Boolean(calendar?.holidays && !calendar.publicHolidays);
}

/** Whether `calendar`'s public holidays stop before the end of next year, seen from `now`. */
export function holidaysRunOut(
  calendar: Pick<ResolvedCalendar, 'holidays' | 'publicHolidays'>,
  now: Date,
): boolean {
  if (!calendar.holidays) return false;
  return (calendar.publicHolidays?.to ?? Number.NEGATIVE_INFINITY) < now.getUTCFullYear() + 1;
}
