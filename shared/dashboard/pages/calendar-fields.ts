import type { CountTime, StoredCalendar } from '../../store/working-calendars.ts';
import { escapeHtml } from '../../views/format.ts';
import { defaultWorkingDays } from '../../working-time/calendar.ts';

/** The calendar fields as typed: what a refused post shows again. */
export interface CalendarForm {
  countTime: CountTime | string;
  workingDays: number[];
  /** `09:00-17:00`, or empty for whole days. */
  workingHours: string;
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
    daysOff: (calendar?.daysOff ?? []).join('\n'),
  };
}

/**
 * The working-time fields of a settings form: the clock durations are shown
 * on, the working week and hours, and days off. Public holidays come from a
 * data set too large for the dashboard's function: they are shown, and set
 * with `npm run settings -- --holidays`.
 */
export function calendarFields(
  typed: CalendarForm,
  holidays: StoredCalendar['holidays'],
  follow?: { label: string; checked: boolean },
): string {
  const region = holidays
    ? [holidays.country, holidays.state, holidays.region].filter(Boolean).join('-')
    : 'none';
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
<label for="daysOff">Further days off, one date (YYYY-MM-DD) a line</label>
<textarea id="daysOff" name="daysOff" rows="3">${escapeHtml(typed.daysOff)}</textarea>
<p class="muted">Public holidays: ${escapeHtml(region)}. They are set with <code>npm run settings -- --holidays &lt;country[-state]&gt;</code>. A change of the calendar recomputes recent weeks at the next hourly rollup.</p>
</fieldset>`;
}
