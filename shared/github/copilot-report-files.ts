import * as z from 'zod/mini';
import type { OrganisationDay, UserDay } from '../metrics/copilot-usage.ts';
import { describeIssues } from '../schema-issues.ts';

/**
 * GitHub's Copilot usage metrics reports, as Flowmeter reads them. The
 * report endpoints answer with download links to newline-delimited JSON
 * files; these are the parts of their records the weekly figures need.
 * Fields GitHub leaves out (no CLI use, no pull requests that day) count
 * as zero; a record without its day or user is refused, with its line.
 */

const count = z._default(z.int().check(z.nonnegative()), 0);
const flag = z._default(z.boolean(), false);
const isoDay = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD'));

/** One day of the organisation: a `day_totals` entry of the organisation report. */
const organisationDaySchema = z.object({
  day: isoDay,
  daily_active_users: count,
  code_generation_activity_count: count,
  code_acceptance_activity_count: count,
  loc_suggested_to_add_sum: count,
  loc_added_sum: count,
  pull_requests: z._default(
    z.object({ total_created_by_copilot: count, total_reviewed_by_copilot: count }),
    { total_created_by_copilot: 0, total_reviewed_by_copilot: 0 },
  ),
});

/** A line of the organisation report: its days under `day_totals`, or one day on its own. */
const organisationLineSchema = z.union([
  z.object({ day_totals: z.array(organisationDaySchema) }),
  organisationDaySchema,
]);

/** A line of the users report: one user's day. */
const userLineSchema = z.object({
  day: isoDay,
  user_id: z.int().check(z.positive()),
  user_login: z.string().check(z.minLength(1)),
  user_initiated_interaction_count: count,
  code_generation_activity_count: count,
  code_acceptance_activity_count: count,
  loc_suggested_to_add_sum: count,
  loc_added_sum: count,
  used_chat: flag,
  used_agent: flag,
});

export class ReportFormatError extends Error {}

function parseLines<Schema extends z.ZodMiniType>(
  text: string,
  schema: Schema,
  what: string,
): z.infer<Schema>[] {
  const records: z.infer<Schema>[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new ReportFormatError(`${what}, line ${index + 1}: not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new ReportFormatError(
        `${what}, line ${index + 1}: ${describeIssues(parsed.error).join('; ')}`,
      );
    records.push(parsed.data);
  }
  return records;
}

/** The organisation's totals for `day` from its report files; null when none holds that day. */
export function organisationDay(files: readonly string[], day: string): OrganisationDay | null {
  const days = files.flatMap((file) =>
    parseLines(file, organisationLineSchema, 'organisation report').flatMap((line) =>
      'day_totals' in line ? line.day_totals : [line],
    ),
  );
  const totals = days.find((entry) => entry.day === day);
  if (!totals) return null;
  return {
    day,
    activeUsers: totals.daily_active_users,
    codeSuggestions: totals.code_generation_activity_count,
    codeAcceptances: totals.code_acceptance_activity_count,
    linesSuggested: totals.loc_suggested_to_add_sum,
    linesAccepted: totals.loc_added_sum,
    pullRequestsCreatedByCopilot: totals.pull_requests.total_created_by_copilot,
    pullRequestsReviewedByCopilot: totals.pull_requests.total_reviewed_by_copilot,
  };
}

/** Each user's day from the users report files (records of other days are not this report's). */
export function userDays(files: readonly string[], day: string): UserDay[] {
  return files
    .flatMap((file) => parseLines(file, userLineSchema, 'users report'))
    .filter((line) => line.day === day)
    .map((line) => ({
      day,
      userId: line.user_id,
      login: line.user_login,
      interactions: line.user_initiated_interaction_count,
      codeSuggestions: line.code_generation_activity_count,
      codeAcceptances: line.code_acceptance_activity_count,
      linesSuggested: line.loc_suggested_to_add_sum,
      linesAccepted: line.loc_added_sum,
      usedChat: line.used_chat,
      usedAgent: line.used_agent,
    }));
}
