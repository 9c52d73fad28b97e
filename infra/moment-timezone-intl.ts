/**
 * Replaces `moment-timezone` in the holidays function's bundle (an esbuild
 * alias its definition sets, as lambda-credentials.ts replaces the SDK's
 * credential chain). `date-holidays` reaches moment-timezone through
 * `caldate` (a holiday's start and end in the country's zone) and its
 * equinox rule (the day of an equinox in a zone): four calls, for 795 KB
 * of moment and every zone's history — the bundle would not fit its 1 MB.
 * The runtime already knows every zone (Intl, with Node's ICU data, for
 * any year, where moment-timezone's trimmed builds stop at 2030), so these
 * calls are answered from it. Only what those callers use is here, and
 * anything else fails loudly rather than answers wrongly;
 * test/infra/holidays-bundle.test.ts proves the bundle resolves every
 * region's holidays to the same dates as the full package.
 */
import { wallClock } from '#shared/wall-clock.ts';

const day = 86_400_000;
const minute = 60_000;

/** A moment: an instant, read on a clock `offset` ms ahead of UTC. */
class ZonedMoment {
  readonly #instant: number;
  readonly #offset: number;

  constructor(instant: number, offset: number) {
    this.#instant = instant;
    this.#offset = offset;
  }

  #wall(): Date {
    return new Date(this.#instant + this.#offset);
  }
  year(): number {
    return this.#wall().getUTCFullYear();
  }
  month(): number {
    return this.#wall().getUTCMonth();
  }
  date(): number {
    return this.#wall().getUTCDate();
  }
  hours(): number {
    return this.#wall().getUTCHours();
  }
  minutes(): number {
    return this.#wall().getUTCMinutes();
  }
  seconds(): number {
    return this.#wall().getUTCSeconds();
  }
  /** The same instant in `timeZone`. */
  tz(timeZone: string): ZonedMoment {
    return new ZonedMoment(this.#instant, offsetAt(this.#instant, timeZone));
  }
  /** The same instant at a fixed offset, `+09:00`. */
  utcOffset(text: string): ZonedMoment {
    const match = /^([+-])(\d{2}):(\d{1,2})$/.exec(text);
    if (!match) throw new RangeError(`moment-timezone-intl: offset ${text} not understood`);
    const [, sign, hours, minutes] = match;
    const offset = (Number(hours) * 60 + Number(minutes)) * minute;
    return new ZonedMoment(this.#instant, sign === '-' ? -offset : offset);
  }
  /** `2026-01-06T00:00:00+01:00`, as moment formats it (offset to the minute). */
  format(): string {
    const offsetMinutes = Math.trunc(this.#offset / minute);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const pad = (value: number) => String(value).padStart(2, '0');
    const absolute = Math.abs(offsetMinutes);
    const wall = this.#wall().toISOString().slice(0, 19);
    return `${wall}${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
  }
}

function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

/** An instant given as a Date, a number or an ISO string with its zone (`…Z`). */
function instantOf(input: Date | number | string): number {
  const instant = typeof input === 'string' ? Date.parse(input) : Number(input);
  if (Number.isNaN(instant))
    throw new RangeError(`moment-timezone-intl: ${String(input)} is no instant`);
  return instant;
}

/**
 * The instant the clock of `timeZone` reads `wall` (UTC-coded), as
 * moment-timezone chooses it: a time skipped by a change forward is moved
 * forward by the gap, and of a time read twice the earlier is taken.
 */
function instantOfWall(wall: number, timeZone: string): number {
  const before = wall - offsetAt(wall - day, timeZone);
  const after = wall - offsetAt(wall + day, timeZone);
  const reads = (instant: number) => wallClock(instant, timeZone) === wall;
  if (reads(before) && reads(after)) return Math.min(before, after);
  if (reads(after)) return after;
  return before;
}

/** `YYYY-MM-DD HH:MM:SS` as caldate writes a date, read on the clock of `timeZone`. */
function fromWallText(text: string, timeZone: string): ZonedMoment {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`moment-timezone-intl: ${text} not understood`);
  const [year, month, date, hours, minutes, seconds] = match.slice(1).map(Number) as number[];
  const wall = new Date(0);
  wall.setUTCFullYear(year as number, (month as number) - 1, date);
  wall.setUTCHours(hours as number, minutes, seconds, 0);
  const instant = instantOfWall(wall.getTime(), timeZone);
  return new ZonedMoment(instant, offsetAt(instant, timeZone));
}

/** `moment(instant)`: the instant, in UTC. */
function moment(input: Date | number | string): ZonedMoment {
  return new ZonedMoment(instantOf(input), 0);
}

/** `moment.tz(input, zone)`: a wall-clock text read in `zone`, or an instant shown there. */
moment.tz = (input: Date | number | string, timeZone: string): ZonedMoment =>
  typeof input === 'string' && !/(Z|[+-]\d{2}:?\d{2})$/.test(input)
    ? fromWallText(input, timeZone)
    : moment(input).tz(timeZone);

export default moment;
