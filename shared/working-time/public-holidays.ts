import Holidays from 'date-holidays';
import type {
  HolidayRegion,
  ResolvedCalendar,
  ResolvedHolidays,
  WorkingCalendar,
} from './calendar.ts';
import { holidayRegionProblem } from './holiday-regions.ts';

/**
 * Public holidays from `date-holidays`, resolved to dates when a calendar is
 * saved, never where working time is counted. Bundled, the package is
 * 1.49 MB minified (all countries' rules, moment-timezone's zone data,
 * astronomia for equinoxes and lunar calendars; its parser alone with no
 * rules is 1.04 MB): more than a Lambda function's whole 1 MB budget. So
 * only the settings command and the holidays function import this module —
 * the function's bundle answers moment-timezone's 795 KB from the runtime's
 * own zone data instead (infra/moment-timezone-intl.ts) and fits; regions
 * are validated against a list of them (holiday-regions.ts) everywhere
 * else. The rollup counts with the dates stored with the calendar, and a
 * new release of the data set changes no figure until a calendar is saved
 * again.
 *
 * Only type `public` counts: `bank` is banks and some offices closing (24
 * and 31 December in Germany, Guatemala's bank employees' day), not a day
 * a software team is off; such a team lists those days as days off.
 */

/** The first year a pull request can be from (GitHub opened pull requests in 2008). */
export const firstHolidayYear = 2008;

/** Years resolved when a calendar is saved: all of GitHub's history, and ten years ahead of `now`. */
export function holidayYears(now: Date): { from: number; to: number } {
  return { from: firstHolidayYear, to: now.getUTCFullYear() + 10 };
}

const day = 86_400_000;
const regions = new Map<string, Holidays>();
const years = new Map<string, readonly string[]>();

/**
 * The days off a region's public holidays give in `year`, cached per region
 * and year (a year of one region takes about a millisecond to compute). A
 * holiday lasting several days (Eid, three in the Emirates) gives each; an
 * Islamic one starts the evening before by its rule, but is off on its date.
 */
export function publicHolidays(where: HolidayRegion, year: number): readonly string[] {
  const key = [where.country, where.state, where.region].join('-');
  const cached = years.get(`${key} ${year}`);
  if (cached) return cached;
  let holidays = regions.get(key);
  if (!holidays) {
    const problem = holidayRegionProblem(where);
    if (problem) throw new RangeError(problem);
    const { country, state, region } = where;
    if (state === undefined) holidays = new Holidays(country);
    else if (region === undefined) holidays = new Holidays(country, state);
    else holidays = new Holidays(country, state, region);
    regions.set(key, holidays);
  }
  const dates = holidays.getHolidays(year).flatMap((holiday) => {
    if (holiday.type !== 'public') return [];
    const first = Date.parse(`${holiday.date.slice(0, 10)}T00:00:00Z`);
    const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / day));
    return Array.from({ length: days }, (_, n) =>
      new Date(first + n * day).toISOString().slice(0, 10),
    );
  });
  const unique = [...new Set(dates)].sort();
  years.set(`${key} ${year}`, unique);
  return unique;
}

/** The dates of `region`'s public holidays in the years of `span` (see `holidayYears`). */
export function holidayDates(
  region: HolidayRegion,
  span: { from: number; to: number },
): ResolvedHolidays {
  const dates = new Set<string>();
  for (let year = span.from; year <= span.to; year++) {
    for (const date of publicHolidays(region, year)) dates.add(date);
  }
  return { ...span, dates: [...dates].sort() };
}

/** `calendar` with its public holidays resolved for `span` (see `holidayYears`), ready to store. */
export function resolveCalendar(
  calendar: WorkingCalendar,
  span: { from: number; to: number },
): ResolvedCalendar {
  // Dates resolved before are dropped, whether for another region or for none now.
  const { publicHolidays: _before, ...set } = calendar as ResolvedCalendar;
  if (!set.holidays) return set;
  return { ...set, publicHolidays: holidayDates(set.holidays, span) };
}

/**
 * The one way holidays are resolved to be stored, by `npm run settings` at
 * save (a calendar) and by the holidays function after a settings page
 * saved a region: every year `holidayYears(now)` spans.
 */
export function resolveHolidays(calendar: WorkingCalendar, now = new Date()): ResolvedCalendar {
  return resolveCalendar(calendar, holidayYears(now));
}

/** `resolveHolidays` of a region alone. */
export function resolveRegion(region: HolidayRegion, now = new Date()): ResolvedHolidays {
  return holidayDates(region, holidayYears(now));
}
