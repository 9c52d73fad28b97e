import * as z from 'zod/mini';
import { outgoingMessage } from './message.ts';
import type { OutgoingMessage } from './send-batch.ts';

/**
 * "Resolve this scope's public holidays": sent by a settings page that
 * stored a calendar whose holiday region has no dates yet — the
 * organisation's, or (with `teamId`) a team's — and by the daily
 * reconciliation for a calendar still without them, or whose dates run out. The holidays function
 * resolves whatever calendar the scope has when it runs, so a job
 * delivered twice, or overtaken by a later save, resolves the latest one
 * or finds nothing left to do.
 */
export const holidaysJobSchema = z.object({
  version: z.literal(1),
  kind: z.literal('holidays'),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(200)),
  installationId: z.int().check(z.positive()),
  teamId: z.optional(z.int().check(z.positive())),
  requestedAt: z.iso.datetime(),
});

export type HolidaysJob = z.infer<typeof holidaysJobSchema>;

/**
 * The job for a scope's calendar, on one `occasion`: a save (`settings-v3`)
 * or a day's sweep (`reconcile:2026-12-02`); the key names it, for the logs.
 */
export function holidaysJob(
  scope: { installationId: number; teamId?: number },
  occasion: string,
  now: Date,
): HolidaysJob {
  return {
    version: 1,
    kind: 'holidays',
    idempotencyKey: `holidays:${scope.installationId}:${scope.teamId ?? 'organisation'}:${occasion}`,
    ...scope,
    requestedAt: now.toISOString(),
  };
}

/** A job as a message; its id names the scope, as a day's sweep sends an installation's and its teams' in one batch. */
export function holidaysJobMessage(job: HolidaysJob): OutgoingMessage {
  return outgoingMessage(
    holidaysJobSchema,
    job,
    `${job.installationId}-${job.teamId ?? 'organisation'}`,
  );
}
