import { describe, expect, it } from 'vitest';
import { installedHolidayRegions } from '#infra/ops/holiday-regions.ts';
import regions from '#shared/working-time/holiday-regions.json' with { type: 'json' };
import {
  holidayRegionCode,
  holidayRegionName,
  holidayRegionProblem,
} from '#shared/working-time/holiday-regions.ts';

describe('the checked-in list of holiday regions', () => {
  it('is what the installed date-holidays knows (after an upgrade: npm run holiday-regions)', () => {
    expect(regions).toEqual(installedHolidayRegions());
  });

  it('refuses a region it does not know, by name, at each level', () => {
    expect(holidayRegionProblem({ country: 'XX' })).toBe('unknown country XX');
    expect(holidayRegionProblem({ country: 'DE', state: 'ZZ' })).toBe('unknown state ZZ of DE');
    expect(holidayRegionProblem({ country: 'DE', state: 'BY', region: 'Q' })).toBe(
      'unknown region Q of DE-BY',
    );
    expect(holidayRegionProblem({ country: 'DE', region: 'A' })).toBe('a region needs its state');
    // Own properties only: an object's inherited names are no country.
    expect(holidayRegionProblem({ country: 'constructor' })).toBe('unknown country constructor');
  });

  it('knows a country, its state and the state’s region, and names them narrowest first', () => {
    const augsburg = { country: 'DE', state: 'BY', region: 'A' };
    expect(holidayRegionProblem(augsburg)).toBeUndefined();
    expect(holidayRegionCode(augsburg)).toBe('DE-BY-A');
    expect(holidayRegionName(augsburg)).toBe('Stadt Augsburg, Bayern, Germany');
    expect(holidayRegionName({ country: 'US', state: 'CA' })).toBe(
      'California, United States of America',
    );
  });
});
