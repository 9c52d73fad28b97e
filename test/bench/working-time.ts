import { performance } from 'node:perf_hooks';
import { randomFor } from '../../infra/local/github-sim/random.ts';
import type { ResolvedCalendar, WorkingCalendar } from '../../shared/working-time/calendar.ts';
import { resolveCalendar } from '../../shared/working-time/public-holidays.ts';
import { workingMs } from '../../shared/working-time/working-ms.ts';
import { type Figure, report } from './report.ts';

/**
 * Benchmark: working time per interval, as a rollup asks it — ISO strings
 * from stored pull requests, lengths as review waits are (median 6 hours,
 * a long tail to weeks), starts over a year, on three calendars (hours and
 * holidays in Berlin, whole days in New York, hours in Tokyo). The first
 * call on a calendar sets up its clock and reads its zone's year (the very
 * first also starts Intl); the per-call figure is a second pass over the
 * intervals, once every year they touch has been read. BENCH_WORKING_TIME_INTERVALS sets the count (100,000).
 */
const calendars: WorkingCalendar[] = [
  {
    timeZone: 'Europe/Berlin',
    workingDays: [1, 2, 3, 4, 5],
    workingHours: { start: '09:00', end: '17:00' },
    holidays: { country: 'DE', state: 'BY' },
    daysOff: ['2026-12-24'],
  },
  {
    timeZone: 'America/New_York',
    workingDays: [1, 2, 3, 4, 5],
    holidays: { country: 'US' },
    daysOff: [],
  },
  {
    timeZone: 'Asia/Tokyo',
    workingDays: [1, 2, 3, 4, 5],
    workingHours: { start: '09:30', end: '18:15' },
    daysOff: [],
  },
];

function intervals(count: number): [string, string][] {
  const random = randomFor('working-time bench');
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, () => {
    const opened = start + random.int(0, 364 * 86_400) * 1000;
    const waited = Math.min(random.lognormal(6 * 3_600_000, 1.5), 60 * 86_400_000);
    return [new Date(opened).toISOString(), new Date(opened + waited).toISOString()];
  });
}

/** The figures: time per call, first and steady, over `count` intervals per calendar. */
export function benchWorkingTime(count = 100_000): Figure[] {
  const pairs = intervals(count);
  const span = { from: 2025, to: 2027 };
  return calendars.map((set) => {
    const calendar: ResolvedCalendar = resolveCalendar(set, span);
    const [first] = pairs;
    const coldStart = performance.now();
    if (first) workingMs(first[0], first[1], calendar);
    const cold = performance.now() - coldStart;
    const pass = () => {
      let total = 0;
      for (const [from, to] of pairs) total += workingMs(from, to, calendar);
      return total;
    };
    // The first pass also reads the zone's other year and lets the JIT settle; the second is timed.
    pass();
    const started = performance.now();
    const total = pass();
    const perCall = ((performance.now() - started) * 1000) / pairs.length;
    const kind = set.workingHours
      ? `${set.workingHours.start}–${set.workingHours.end}`
      : 'whole days';
    return {
      name: `${set.timeZone}, ${kind}: per call over ${count.toLocaleString('en')} intervals; first call`,
      measured: `${perCall.toFixed(2)} µs; ${cold.toFixed(1)} ms (${(total / pairs.length / 3_600_000).toFixed(1)} working h each)`,
    };
  });
}

if (import.meta.main) {
  const count = Number(process.env.BENCH_WORKING_TIME_INTERVALS ?? 100_000);
  report(import.meta.url, 'Working time: one interval on a calendar', benchWorkingTime(count));
}
