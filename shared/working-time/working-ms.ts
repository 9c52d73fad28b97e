import type { ResolvedCalendar } from './calendar.ts';
import { type ZoneOffsets, zoneOffsets } from './zone-offsets.ts';

/**
 * Working time: the real time during which the calendar's wall clock reads
 * a working day (not a day off) and, with working hours, a time in them.
 *
 * Counted in stretches of one UTC offset: within one, the wall clock runs
 * with real time, so its working time is wall-clock arithmetic over days
 * of exactly 24 hours — the first and last day in part, each day between
 * whole — with no clock reading per day.
 *
 * Real time, not the wall clock's labels, so that working time never
 * exceeds calendar time and seven whole working days without holidays count
 * exactly the calendar time. Hence a whole working day lasts 23 or 25 hours
 * across a daylight-saving change (the pull request waited that long),
 * while 09:00–17:00 stays 8 hours, as clocks change at night; hours that
 * hold the change (00:00–08:00) count the 7 or 9 hours the clock spent in
 * them, and a skipped or repeated time is counted as the clock shows it.
 */

const day = 86_400_000;
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / day;

/** Working time on one calendar, set up once: a rollup asks it thousands of times. */
export class WorkingClock {
  readonly #offsets: ZoneOffsets;
  readonly #workingDays: Set<number>;
  readonly #off: Set<number>;
  /** The working hours as ms after midnight; whole days without them. */
  readonly #from: number;
  readonly #to: number;

  constructor(calendar: ResolvedCalendar) {
    // A calendar whose holidays are still being resolved (`holidaysPending`: seconds
    // after a settings page saved it) counts as if it had none, as a year beyond
    // the resolved ones does; storing the dates marks the recent weeks again.
    const { publicHolidays: resolved, workingHours } = calendar;
    this.#offsets = zoneOffsets(calendar.timeZone);
    this.#workingDays = new Set(calendar.workingDays);
    this.#off = new Set([...(resolved?.dates ?? []), ...calendar.daysOff].map(dayOf));
    this.#from = workingHours ? minutes(workingHours.start) * 60_000 : 0;
    this.#to = workingHours ? minutes(workingHours.end) * 60_000 : day;
  }

  /** Milliseconds of working time from `start` to `end`; negative when `end` comes first, as calendar time would be. */
  between(start: number, end: number): number {
    if (end < start) return -this.between(end, start);
    let total = 0;
    for (let from = start; from < end; ) {
      const [, offset, until] = this.#offsets.stepAt(from);
      const to = Math.min(until, end);
      total += this.#wallClockWorking(from + offset, to + offset);
      from = to;
    }
    return total;
  }

  /** Working ms between two wall-clock times (UTC-coded), on a clock that runs evenly between them. */
  #wallClockWorking(from: number, to: number): number {
    let total = 0;
    const last = Math.floor((to - 1) / day);
    for (let n = Math.floor(from / day); n <= last; n++) {
      if (!this.#isWorkingDay(n)) continue;
      const overlap = Math.min(to, n * day + this.#to) - Math.max(from, n * day + this.#from);
      if (overlap > 0) total += overlap;
    }
    return total;
  }

  #isWorkingDay(n: number): boolean {
    // Day 0, 1970-01-01, was a Thursday: ISO weekday 4.
    if (!this.#workingDays.has(((((n + 3) % 7) + 7) % 7) + 1)) return false;
    return !this.#off.has(n);
  }
}

const clocks = new WeakMap<ResolvedCalendar, WorkingClock>();

function instant(value: string | number | Date): number {
  const time = typeof value === 'number' ? value : new Date(value).getTime();
  if (Number.isNaN(time)) throw new RangeError(`not an instant: ${String(value)}`);
  return time;
}

/**
 * Milliseconds of working time from `start` to `end` on `calendar` (ISO
 * strings, epoch milliseconds or dates). The calendar's clock is kept for
 * the calendar object, so a calendar is a value: to change it, make another.
 */
export function workingMs(
  start: string | number | Date,
  end: string | number | Date,
  calendar: ResolvedCalendar,
): number {
  let clock = clocks.get(calendar);
  if (!clock) {
    clock = new WorkingClock(calendar);
    clocks.set(calendar, clock);
  }
  return clock.between(instant(start), instant(end));
}
