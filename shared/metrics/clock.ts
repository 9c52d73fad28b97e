import type { ResolvedCalendar } from '../working-time/calendar.ts';
import { WorkingClock } from '../working-time/working-ms.ts';

/**
 * How long from one instant (ms since the epoch) to another: calendar time,
 * as DORA and the figures always count, or working time on a team's
 * calendar (docs/metrics.md, "Working time").
 */
export type Clock = (fromMs: number, toMs: number) => number;

/** Calendar time: every hour counts. */
export const calendarClock: Clock = (from, to) => to - from;

/** Working time on a calendar: its clock is set up once, as a rollup asks it thousands of times. */
export function workingClock(calendar: ResolvedCalendar): Clock {
  const clock = new WorkingClock(calendar);
  return (from, to) => clock.between(from, to);
}
