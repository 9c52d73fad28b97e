import * as z from 'zod/mini';
import { outgoingMessage } from './message.ts';
import type { OutgoingMessage } from './send-batch.ts';

/**
 * "Read the organisation's teams and compare them with what is stored": one
 * job per installation, from a new installation, its owners accepting new
 * permissions, the daily reconciliation, or a reading that waited for the
 * GitHub budget. A reading compares, so a job delivered twice reads twice
 * and the second changes nothing.
 */
export const teamsJobSchema = z.object({
  version: z.literal(1),
  kind: z.literal('teams'),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(200)),
  installationId: z.int().check(z.positive()),
  trigger: z.enum(['installation', 'permissions-accepted', 'reconcile', 'continuation']),
  requestedAt: z.iso.datetime(),
});

export type TeamsJob = z.infer<typeof teamsJobSchema>;

export function teamsJobMessage(job: TeamsJob, delaySeconds?: number): OutgoingMessage {
  return outgoingMessage(teamsJobSchema, job, String(job.installationId), delaySeconds);
}
