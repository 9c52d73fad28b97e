import { wallClock } from '../wall-clock.ts';
import { isoWeek } from './weeks.ts';

export { isTimeZone } from '../wall-clock.ts';

/**
 * ISO weeks in an installation's time zone: a week runs from Monday 00:00 to
 * the next Monday 00:00 local time, so it lasts 167 or 169 hours across a
 * daylight-saving change.
 */

/** The ISO week `instant` falls in, on the calendar of `timeZone`. */
export function weekIn(instant: string | number | Date, timeZone: string): string {
  return isoWeek(new Date(wallClock(new Date(instant).getTime(), timeZone)));
}

/** Day of the week (1 = Monday … 7 = Sunday) and hour on the wall clock of `timeZone`. */
export function localDayAndHour(
  instant: Date,
  timeZone: string,
): { weekday: number; hour: number } {
  const local = new Date(wallClock(instant.getTime(), timeZone));
  return { weekday: local.getUTCDay() || 7, hour: local.getUTCHours() };
}

/** The instant at which the wall clock of `timeZone` reads `local` (a UTC-coded wall time). */
function instantOf(local: number, timeZone: string): number {
  // Two rounds settle the offset, including on the day it changes.
  let instant = local - (wallClock(local, timeZone) - local);
  instant = local - (wallClock(instant, timeZone) - instant);
  return instant;
}

/** Monday 00:00 of ISO week `week` (`2026-W47`) as a UTC-coded wall time. */
function mondayOf(week: string): number {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) throw new Error(`not an ISO week: ${week}`);
  const year = Number(match[1]);
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = new Date(jan4).getUTCDay() || 7;
  return jan4 - (jan4Weekday - 1) * 86_400_000 + (Number(match[2]) - 1) * 7 * 86_400_000;
}

/** The instants a week starts (inclusive) and ends (exclusive) in `timeZone`. */
export function weekBounds(week: string, timeZone: string): { start: Date; end: Date } {
  const monday = mondayOf(week);
  return {
    start: new Date(instantOf(monday, timeZone)),
    end: new Date(instantOf(monday + 7 * 86_400_000, timeZone)),
  };
}

/** The week `offset` weeks from `week` (negative: earlier). */
export function shiftWeek(week: string, offset: number): string {
  return isoWeek(new Date(mondayOf(week) + offset * 7 * 86_400_000));
}

/** The last full week before `now` on the calendar of `timeZone`. */
export function finishedWeek(now: Date, timeZone: string): string {
  return shiftWeek(weekIn(now, timeZone), -1);
}

/** A week's first and last calendar days (YYYY-MM-DD, Monday and Sunday), whatever the time zone. */
export function weekDays(week: string): [string, string] {
  const monday = mondayOf(week);
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  return [day(monday), day(monday + 6 * 86_400_000)];
}
