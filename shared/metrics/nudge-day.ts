import { wallClock } from '../wall-clock.ts';
import { defaultWorkingDays, type ResolvedCalendar } from '../working-time/calendar.ts';

/**
 * When a team's morning nudge is due: on its working days (its calendar's,
 * or Monday to Friday without one), in the hour it chose on its clock. What
 * it covers starts at the previous working day's nudge hour, so each event
 * since (a merge without review, an oversized PR) is told once, and a run
 * repeated gives the same list.
 */
export interface NudgeDue {
  /** The local date (`YYYY-MM-DD`): one nudge per team per day. */
  day: string;
  /** The previous working day's nudge, as an instant. */
  since: Date;
  /** The start of this nudge's hour. */
  at: Date;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** A fortnight off (a long holiday) still finds the last working day. */
const lookBackDays = 21;

function isWorkingDay(local: number, calendar: ResolvedCalendar | undefined): boolean {
  const weekday = new Date(local).getUTCDay() || 7;
  const date = new Date(local).toISOString().slice(0, 10);
  const workingDays: readonly number[] = calendar?.workingDays ?? defaultWorkingDays;
  if (!workingDays.includes(weekday)) return false;
  return !calendar?.daysOff.includes(date) && !calendar?.publicHolidays?.dates.includes(date);
}

/**
 * The nudge due at `now` for a team that chose `hour` (0–23) on the clock of
 * `timeZone` (its calendar's zone, when it has one), or undefined. `anyHour`
 * and `anyDay` leave out those checks (a run asked for now; a first sift
 * before the calendars are read).
 */
export function nudgeDue(
  now: Date,
  hour: number,
  timeZone: string,
  calendar?: ResolvedCalendar,
  options: { anyHour?: boolean; anyDay?: boolean } = {},
): NudgeDue | undefined {
  const zone = calendar?.timeZone ?? timeZone;
  const at = Math.floor(now.getTime() / hourMs) * hourMs;
  const local = wallClock(at, zone);
  if (!options.anyHour && new Date(local).getUTCHours() !== hour) return undefined;
  if (!options.anyDay && !isWorkingDay(local, calendar)) return undefined;
  let back = 1;
  while (back < lookBackDays && !isWorkingDay(local - back * dayMs, calendar)) back++;
  // Whole days back: a daylight-saving change in between moves it by the hour it shifted.
  return {
    day: new Date(local).toISOString().slice(0, 10),
    since: new Date(at - back * dayMs),
    at: new Date(at),
  };
}
