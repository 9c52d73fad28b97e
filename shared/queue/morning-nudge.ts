import * as z from 'zod/mini';
import { waitingReasons } from '../metrics/waiting-list.ts';

/**
 * "Send a team its morning nudge": from the nudge dispatcher to the
 * notifications queue, carrying the team's waiting list as it was at `at`
 * (the first `carriedItems`, and how many there were in all). The key names
 * the team and its local day: the notifier sends each channel once, however
 * often the schedule fires or the message is delivered.
 */
export const carriedItems = 50;
/** Titles beyond this are cut: a message of ten nudges stays well inside SQS's batch size. */
export const carriedTitleLength = 200;

const waitingItemSchema = z.object({
  reason: z.enum(waitingReasons),
  repositoryId: z.int(),
  repositoryFullName: z.string(),
  number: z.int().check(z.positive()),
  title: z.string().check(z.maxLength(carriedTitleLength)),
  authorLogin: z.string(),
  since: z.iso.datetime({ offset: true }),
  waitedMs: z.number(),
  changedLines: z.optional(z.int()),
});

export const morningNudgeSchema = z.object({
  version: z.literal(1),
  kind: z.literal('morning-nudge'),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(250)),
  installationId: z.int().check(z.positive()),
  teamId: z.int().check(z.positive()),
  /** The team's local date: one nudge per team per day. */
  day: z.iso.date(),
  at: z.iso.datetime(),
  items: z.array(waitingItemSchema).check(z.maxLength(carriedItems)),
  total: z.int().check(z.nonnegative()),
});

export type MorningNudge = z.infer<typeof morningNudgeSchema>;
