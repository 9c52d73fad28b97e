import { wallClock } from '../wall-clock.ts';

const day = 86_400_000;

/** From `from` until `until` (exclusive), the wall clock reads `offset` ms ahead of UTC. */
type Step = readonly [from: number, offset: number, until: number];

/**
 * A time zone's offset from UTC as steps in time, found once per UTC year:
 * the offset read at each midnight of the year, and where two readings
 * differ, the second it changed (halving to the second; zones change on
 * whole seconds, and never twice within a day). About 400 clock readings
 * per zone and year, against two or more per interval if read each time.
 */
export class ZoneOffsets {
  readonly #timeZone: string;
  readonly #years = new Map<number, Step[]>();

  constructor(timeZone: string) {
    this.#timeZone = timeZone;
  }

  /** The step `instant` falls in. A year's start ends a step too, so that each year is found alone. */
  stepAt(instant: number): Step {
    const steps = this.#year(new Date(instant).getUTCFullYear());
    let index = 0;
    while (index < steps.length - 1 && (steps[index] as Step)[2] <= instant) index++;
    return steps[index] as Step;
  }

  #year(year: number): Step[] {
    let steps = this.#years.get(year);
    if (steps) return steps;
    const offset = (instant: number) => wallClock(instant, this.#timeZone) - instant;
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    steps = [];
    let from = start;
    let current = offset(start);
    for (let sample = start + day; sample - day < end; sample += day) {
      // The last sample is the year's last second, so that a change on its last day is found.
      const at = Math.min(sample, end - 1000);
      if (offset(at) === current) continue;
      let before = at - day >= from ? at - day : from;
      let after = at;
      while (after - before > 1000) {
        const middle = before + Math.floor((after - before) / 2000) * 1000;
        if (offset(middle) === current) before = middle;
        else after = middle;
      }
      steps.push([from, current, after]);
      from = after;
      current = offset(after);
    }
    steps.push([from, current, end]);
    this.#years.set(year, steps);
    return steps;
  }
}

const zones = new Map<string, ZoneOffsets>();

/** The offsets of `timeZone`, shared by every calendar in that zone. */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  let offsets = zones.get(timeZone);
  if (!offsets) {
    offsets = new ZoneOffsets(timeZone);
    zones.set(timeZone, offsets);
  }
  return offsets;
}
