import type { HolidayRegion } from './calendar.ts';
import regions from './holiday-regions.json' with { type: 'json' };

/**
 * The countries, states and regions `date-holidays` knows, with their
 * names: a list generated from the installed package (`npm run
 * holiday-regions`; a unit test keeps the two equal). Validating a region
 * needs only this list — 30 KB, where the data set is 1.5 MB bundled — so
 * the dashboard refuses an unknown region at once, as the settings command
 * does, and names a known one.
 */
export type HolidayRegions = Record<
  string,
  { name: string; states?: Record<string, { name: string; regions?: Record<string, string> }> }
>;

const known: HolidayRegions = regions;

/** Why `region` is not one `date-holidays` knows, or undefined when it is. */
export function holidayRegionProblem({
  country,
  state,
  region,
}: HolidayRegion): string | undefined {
  const countryEntry = Object.hasOwn(known, country) ? known[country] : undefined;
  if (!countryEntry) return `unknown country ${country}`;
  if (state === undefined) return region === undefined ? undefined : 'a region needs its state';
  const states = countryEntry.states ?? {};
  const stateEntry = Object.hasOwn(states, state) ? states[state] : undefined;
  if (!stateEntry) return `unknown state ${state} of ${country}`;
  if (region === undefined) return undefined;
  return Object.hasOwn(stateEntry.regions ?? {}, region)
    ? undefined
    : `unknown region ${region} of ${country}-${state}`;
}

/** `DE`, `DE-BY`, `DE-BY-A`: a region as it is typed. */
export function holidayRegionCode({ country, state, region }: HolidayRegion): string {
  return [country, state, region].filter(Boolean).join('-');
}

/** A known region's names, narrowest first: "Stadt Augsburg, Bayern, Germany". */
export function holidayRegionName({ country, state, region }: HolidayRegion): string {
  const countryEntry = known[country];
  const stateEntry = state === undefined ? undefined : countryEntry?.states?.[state];
  const regionName = region === undefined ? undefined : stateEntry?.regions?.[region];
  return [regionName, stateEntry?.name, countryEntry?.name].filter(Boolean).join(', ');
}
