import { type HolidaysJob, holidaysJob } from '../queue/holidays-job.ts';
import { describeIssues, isSchemaError } from '../schema-issues.ts';
import {
  type CalendarSettings,
  type CalendarSettingsChange,
  type CountTime,
  effectiveCalendar,
  type StoredCalendar,
  typedHolidays,
  typedWorkingHours,
} from '../store/working-calendars.ts';
import { defaultWorkingDays, holidaysPending, type Weekday } from '../working-time/calendar.ts';
import type { CalendarForm } from './pages/calendar-fields.ts';

/** The calendar fields of a posted form, as typed. */
export function typedCalendarForm(form: URLSearchParams): CalendarForm {
  return {
    countTime: (form.get('countTime') ?? '').trim(),
    workingDays: form.getAll('workingDays').map(Number),
    workingHours: (form.get('workingHours') ?? '').trim(),
    holidays: (form.get('holidays') ?? '').trim(),
    daysOff: form.get('daysOff') ?? '',
  };
}

/**
 * The change a posted calendar form asks for: a calendar only when the week,
 * hours, holidays or days off differ from those counted on now (a save that
 * changed none of them stores no calendar, and recomputes no week); with
 * `follow` (a team following the organisation's), none of its own.
 */
export function calendarFormChange(
  typed: CalendarForm,
  own: CalendarSettings,
  follows?: CalendarSettings,
  follow = false,
): CalendarSettingsChange {
  const countTime = typed.countTime as CountTime;
  if (follow) return { countTime, ...(own.workingCalendar ? { calendar: null } : {}) };
  const current = effectiveCalendar(own, follows).calendar;
  const calendar = {
    workingDays: typed.workingDays as Weekday[],
    workingHours: typedWorkingHours(typed.workingHours),
    holidays: typedHolidays(typed.holidays.toUpperCase()),
    daysOff: typed.daysOff
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  };
  const unchanged =
    JSON.stringify(calendar.workingDays) ===
      JSON.stringify(current?.workingDays ?? defaultWorkingDays) &&
    JSON.stringify(calendar.workingHours) === JSON.stringify(current?.workingHours ?? null) &&
    JSON.stringify(calendar.holidays) === JSON.stringify(current?.holidays ?? null) &&
    JSON.stringify([...calendar.daysOff].sort()) === JSON.stringify(current?.daysOff ?? []);
  return { countTime, ...(unchanged ? {} : { calendar }) };
}

/** Why a calendar was refused, for the form to show above what was typed; undefined for any other error. */
export function calendarRefusal(error: unknown): string[] | undefined {
  return isSchemaError(error) ? describeIssues(error) : undefined;
}

/**
 * After a save: a calendar stored with holidays but no dates yet (the
 * dashboard cannot load the holiday data set) is queued for the holidays
 * function. Asked after every save, so saving again queues a calendar
 * whose job was lost.
 */
export async function queuePendingHolidays(
  resolveLater: (job: HolidaysJob) => Promise<void>,
  scope: { installationId: number; teamId?: number },
  saved: { calendar: StoredCalendar | undefined; settingsVersion: number },
  now: Date,
): Promise<void> {
  if (holidaysPending(saved.calendar))
    await resolveLater(holidaysJob(scope, `settings-v${saved.settingsVersion}`, now));
}
