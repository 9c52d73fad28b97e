import type { CountTime, StoredCalendar } from '../../store/working-calendars.ts';
import { escapeHtml } from '../../views/format.ts';
import { defaultWorkingDays } from '../../working-time/calendar.ts';
import { holidayRegionCode, holidayRegionName } from '../../working-time/holiday-regions.ts';

/** The calendar fields as typed: what a refused post shows again. */
export interface CalendarForm {
  countTime: CountTime | string;
  workingDays: number[];
  /** `09:00-17:00`, or empty for whole days. */
  workingHours: string;
  /** `DE`, `DE-BY`, `DE-BY-A`, or empty for none. */
  holidays: string;
  /** One date a line. */
  daysOff: string;
}

const dayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The form as a calendar (the defaults when there is none) and a clock fill it. */
export function calendarForm(
  calendar: StoredCalendar | undefined,
  countTime: CountTime,
): CalendarForm {
  return {
    countTime,
    workingDays: calendar?.workingDays ?? defaultWorkingDays,
    workingHours: calendar?.workingHours
      ? `${calendar.workingHours.start}-${calendar.workingHours.end}`
      : '',
    holidays: calendar?.holidays ? holidayRegionCode(calendar.holidays) : '',
    daysOff: (calendar?.daysOff ?? []).join('\n'),
  };
}

/**
 * The working-time fields of a settings form: the clock durations are shown
 * on, the working week and hours, public holidays and days off. The stored
 * calendar's holidays are named, with whether their dates are resolved yet
 * (the holidays function does that shortly after a save).
 */
export function calendarFields(
  typed: CalendarForm,
  stored: StoredCalendar | undefined,
  follow?: { label: string; checked: boolean },
): string {
  const days = dayNames
    .map(
      (name, index) =>
        `<label><input type="checkbox" name="workingDays" value="${index + 1}"${typed.workingDays.includes(index + 1) ? ' checked' : ''}> ${name}</label>`,
    )
    .join('');
  return `<fieldset>
<legend>Working time</legend>
<label for="countTime">Count time as</label>
<select id="countTime" name="countTime">${(['calendar', 'working'] as const)
    .map(
      (value) =>
        `<option value="${value}"${typed.countTime === value ? ' selected' : ''}>${value === 'calendar' ? 'calendar hours (as DORA counts)' : 'working hours (on the calendar below)'}</option>`,
    )
    .join('')}</select>
${follow ? `<label><input type="checkbox" name="followCalendar"${follow.checked ? ' checked' : ''}> ${escapeHtml(follow.label)}</label>` : ''}
<fieldset><legend>Working days</legend>${days}</fieldset>
<label for="workingHours">Working hours, such as 09:00-17:00 (empty: whole days)</label>
<input type="text" id="workingHours" name="workingHours" value="${escapeHtml(typed.workingHours)}">
<label for="holidays">Public holidays of a country, state or region, such as DE, DE-BY or US-CA (empty: none)</label>
<input type="text" id="holidays" name="holidays" value="${escapeHtml(typed.holidays)}" aria-describedby="holidaysStatus">
<p class="muted" id="holidaysStatus">${holidaysStatus(stored)}</p>
<label for="daysOff">Further days off, one date (YYYY-MM-DD) a line</label>
<textarea id="daysOff" name="daysOff" rows="3">${escapeHtml(typed.daysOff)}</textarea>
<p class="muted">A change of the calendar recomputes recent weeks at the next hourly rollup.</p>
</fieldset>`;
}

/** The stored holidays in words: which region, and its dates or that they are being resolved. */
function holidaysStatus(stored: StoredCalendar | undefined): string {
  const holidays = stored?.holidays;
  if (!holidays) return 'No public holidays are counted.';
  const region = `${escapeHtml(holidayRegionCode(holidays))} (${escapeHtml(holidayRegionName(holidays))})`;
  const dates = stored.publicHolidays;
  if (!dates)
    return `The public holidays of ${region} are being resolved to dates; working time counts them once they are, usually within a minute (reload this page to see).`;
  return `Counting the public holidays of ${region}: ${dates.dates.length} dates, ${dates.from}–${dates.to}.`;
}
