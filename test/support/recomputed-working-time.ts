import type { ResolvedCalendar } from '#shared/working-time/calendar.ts';

/**
 * Working time recomputed the slow, obvious way, as a second path for
 * shared/working-time/ (which it never calls): step through the interval a
 * minute at a time, read the calendar's wall clock with Intl, and count the
 * minute if the clock shows a working day that is no day off and, with
 * working hours, a time within them. Intervals and calendars must fall on
 * whole minutes, as the zones' changes do.
 */
const minute = 60_000;
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function recomputedWorkingMs(
  start: number,
  end: number,
  calendar: ResolvedCalendar,
): number {
  const clock = new Intl.DateTimeFormat('en-US', {
    timeZone: calendar.timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const off = new Set([...calendar.daysOff, ...(calendar.publicHolidays?.dates ?? [])]);
  let total = 0;
  for (let at = Math.floor(start / minute) * minute; at < end; at += minute) {
    const part: Record<string, string> = {};
    for (const { type, value } of clock.formatToParts(at)) part[type] = value;
    const weekday = weekdays.indexOf(part.weekday ?? '') + 1;
    const date = `${part.year}-${part.month}-${part.day}`;
    const time = `${part.hour}:${part.minute}`;
    const hours = calendar.workingHours;
    const working =
      calendar.workingDays.includes(weekday as never) &&
      !off.has(date) &&
      (!hours || (time >= hours.start && time < hours.end));
    if (working) total += Math.min(end, at + minute) - Math.max(start, at);
  }
  return total;
}
