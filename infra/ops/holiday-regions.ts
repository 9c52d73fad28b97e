import { writeFileSync } from 'node:fs';
import Holidays from 'date-holidays';
import type { HolidayRegions } from '#shared/working-time/holiday-regions.ts';

/**
 * `npm run holiday-regions`: writes shared/working-time/holiday-regions.json,
 * the countries, states and regions the installed `date-holidays` knows,
 * with the names it gives them (in English where its data has them). The
 * dashboard checks a region against that list, as it cannot load the data
 * set itself (public-holidays.ts says why); a unit test fails while the
 * list differs from the installed package, so an upgrade is regenerated.
 */
export function installedHolidayRegions(): HolidayRegions {
  const holidays = new Holidays();
  return Object.fromEntries(
    Object.entries(holidays.getCountries('en')).map(([country, name]) => {
      const states = Object.entries(holidays.getStates(country, 'en') ?? {}).map(
        ([state, stateName]) => {
          const regions = holidays.getRegions(country, state, 'en') ?? {};
          return [
            state,
            { name: stateName, ...(Object.keys(regions).length > 0 ? { regions } : {}) },
          ];
        },
      );
      return [
        country,
        { name, ...(states.length > 0 ? { states: Object.fromEntries(states) } : {}) },
      ];
    }),
  );
}

if (import.meta.main) {
  const path = new URL('../../shared/working-time/holiday-regions.json', import.meta.url);
  writeFileSync(path, `${JSON.stringify(installedHolidayRegions(), null, 2)}\n`);
  console.log(`wrote ${path.pathname}`);
}
