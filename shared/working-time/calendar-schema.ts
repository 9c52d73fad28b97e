import * as z from 'zod/mini';
import { isTimeZone } from '../wall-clock.ts';
import { defaultWorkingDays, type Weekday, type WorkingCalendar } from './calendar.ts';
import { holidayRegionProblem } from './holiday-regions.ts';

/**
 * A working calendar as a person sets it, refused with a reason a person
 * can act on. It loads no holiday data set, so the dashboard can validate
 * with it: the holiday region is checked against the list of regions the
 * data set knows (holiday-regions.ts).
 */

const isWeekday = (value: number): value is Weekday =>
  Number.isInteger(value) && value >= 1 && value <= 7;

const workingDays = z
  .array(
    z.pipe(
      z.number().check(
        z.refine(isWeekday, {
          error: (issue) => `a working day is 1 (Monday) to 7 (Sunday), not ${String(issue.input)}`,
        }),
      ),
      z.transform((day) => day as Weekday),
    ),
  )
  .check(
    z.minLength(1, { error: 'empty working week: at least one working day' }),
    // One order and no repeats, so that equal calendars are stored alike.
    z.overwrite((days) => [...new Set(days)].sort((a, b) => a - b)),
  );

/** `HH:MM`, 00:00 to 23:59: as text, such times sort as they fall in the day. */
const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const clockTime = z.string().check(
  z.regex(hhmm, {
    error: (issue) => `not a time of day HH:MM: ${String(issue.input)}`,
  }),
);

const workingHours = z.object({ start: clockTime, end: clockTime }).check(
  // Only two times of day can be put in order; a malformed one has its own issue.
  z.refine(({ start, end }) => !hhmm.test(start) || !hhmm.test(end) || end > start, {
    error: (issue) => {
      const { start, end } = issue.input as { start: string; end: string };
      return end === start
        ? `working hours end when they start (${start}): no working time`
        : `working hours end before they start (${start} to ${end})`;
    },
  }),
);

/** Codes as `date-holidays` lists them (upper case), whatever case they were typed in. */
const code = z.pipe(
  z.string(),
  z.transform((text) => text.trim().toUpperCase()),
);

/** A country, state and region `date-holidays` knows (unknown ones refused by name). */
const holidays = z
  .object({ country: code, state: z.optional(code), region: z.optional(code) })
  .check(
    z.refine((where) => holidayRegionProblem(where) === undefined, {
      error: (issue) =>
        holidayRegionProblem(issue.input as Parameters<typeof holidayRegionProblem>[0]),
    }),
  );

export const workingCalendarSchema = z.object({
  timeZone: z
    .string()
    .check(
      z.refine(isTimeZone, { error: (issue) => `not an IANA time zone: ${String(issue.input)}` }),
    ),
  workingDays: z._default(workingDays, () => [...defaultWorkingDays]),
  workingHours: z.optional(workingHours),
  holidays: z.optional(holidays),
  daysOff: z._default(
    z
      .array(z.iso.date({ error: (issue) => `not a date YYYY-MM-DD: ${String(issue.input)}` }))
      .check(z.overwrite((dates) => [...new Set(dates)].sort())),
    () => [],
  ),
});

// The schema's output is the calendar the rest of the module counts with.
workingCalendarSchema satisfies z.ZodMiniType<WorkingCalendar>;
