import * as z from 'zod/mini';
import { outgoingMessage } from './message.ts';
import type { OutgoingMessage } from './send-batch.ts';

/**
 * "Resolve this scope's public holidays": sent by a settings page that
 * stored a calendar whose holiday region has no dates yet — the
 * organisation's, or (with `teamId`) a team's. The holidays function
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

/** The job for a scope's calendar as saved at `settingsVersion`. */
export function holidaysJob(
  scope: { installationId: number; teamId?: number },
  settingsVersion: number,
  now: Date,
): HolidaysJob {
  return {
    version: 1,
    kind: 'holidays',
    idempotencyKey: `holidays:${scope.installationId}:${scope.teamId ?? 'organisation'}:${settingsVersion}`,
    ...scope,
    requestedAt: now.toISOString(),
  };
}

export function holidaysJobMessage(job: HolidaysJob): OutgoingMessage {
  return outgoingMessage(holidaysJobSchema, job, String(job.installationId));
}
