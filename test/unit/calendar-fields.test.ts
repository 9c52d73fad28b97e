import { describe, expect, it } from 'vitest';
import { calendarFormChange } from '#shared/dashboard/calendar-form.ts';
import { calendarFields, calendarForm } from '#shared/dashboard/pages/calendar-fields.ts';
import type { StoredCalendar } from '#shared/store/working-calendars.ts';

const bavaria: StoredCalendar = {
  workingDays: [1, 2, 3, 4, 5],
  holidays: { country: 'DE', state: 'BY' },
  daysOff: [],
};

describe("the settings page's public holidays", () => {
  it('shows the region typed as its code, and says its dates are being resolved until they are', () => {
    const html = calendarFields(calendarForm(bavaria, 'working'), bavaria);
    expect(html).toContain('<label for="holidays">Public holidays of a country, state or region');
    expect(html).toContain('id="holidays" name="holidays" value="DE-BY"');
    expect(html).toContain(
      'The public holidays of DE-BY (Bayern, Germany) are being resolved to dates',
    );
  });

  it('names the region and counts its dates once they are stored', () => {
    const resolved = {
      ...bavaria,
      publicHolidays: { from: 2026, to: 2026, dates: ['2026-01-01', '2026-01-06'] },
    };
    expect(calendarFields(calendarForm(resolved, 'working'), resolved)).toContain(
      'Counting the public holidays of DE-BY (Bayern, Germany): 2 dates, 2026–2026.',
    );
    expect(calendarFields(calendarForm(undefined, 'calendar'), undefined)).toContain(
      'No public holidays are counted.',
    );
  });

  it('asks for a calendar only when the region typed differs from the one counted, in any case', () => {
    const form = { ...calendarForm(bavaria, 'working'), holidays: 'de-by' };
    expect(calendarFormChange(form, { workingCalendar: bavaria })).toEqual({
      countTime: 'working',
    });
    expect(
      calendarFormChange({ ...form, holidays: 'AT' }, { workingCalendar: bavaria }).calendar,
    ).toMatchObject({ holidays: { country: 'AT' } });
    // Emptied: no public holidays any more.
    expect(
      calendarFormChange({ ...form, holidays: '' }, { workingCalendar: bavaria }).calendar,
    ).toMatchObject({ holidays: null });
  });
});
