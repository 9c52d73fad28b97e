import * as z from 'zod/mini';
import { outgoingMessage } from './message.ts';
import type { OutgoingMessage } from './send-batch.ts';

/**
 * "Fetch the Copilot usage days of an installation not stored yet": one job
 * per installation, from the daily reconciliation, a new installation, or a
 * run that ran out of time or budget. A day already stored is never asked
 * for again, so a job delivered twice costs one query.
 */
export const copilotJobSchema = z.object({
  version: z.literal(1),
  kind: z.literal('copilot-usage'),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(200)),
  installationId: z.int().check(z.positive()),
  trigger: z.enum(['installation', 'reconcile', 'continuation']),
  requestedAt: z.iso.datetime(),
});

export type CopilotJob = z.infer<typeof copilotJobSchema>;

export function copilotJobMessage(job: CopilotJob, delaySeconds?: number): OutgoingMessage {
  return outgoingMessage(copilotJobSchema, job, String(job.installationId), delaySeconds);
}
