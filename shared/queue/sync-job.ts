import * as z from 'zod/mini';
import { outgoingMessage } from './message.ts';
import type { OutgoingMessage } from './send-batch.ts';

/**
 * The message that asks the sync worker to bring one repository up to date.
 * Versioned so a worker can refuse a message it does not understand rather
 * than misread it; the idempotency key lets the worker drop a duplicate
 * (SQS standard queues deliver at least once, and webhooks are redelivered).
 */
export const syncJobSchema = z.object({
  version: z.literal(1),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(200)),
  installationId: z.int().check(z.positive()),
  repository: z.object({
    id: z.int().check(z.positive()),
    fullName: z.string().check(z.regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name')),
  }),
  /**
   * What asked for the sync; the worker decides backfill vs incremental from
   * stored state. `continuation` resumes a run in progress and starts none.
   */
  trigger: z.enum([
    'installation',
    'repositories-added',
    'unsuspended',
    'reconcile',
    'continuation',
    // A production deployment succeeded: the default branch's newest commits are wanted.
    'deployment',
    // A release was published or edited: its tag's commit is read by the sync (the event names the tag only).
    'release',
  ]),
  requestedAt: z.iso.datetime(),
});

export type SyncJob = z.infer<typeof syncJobSchema>;

export interface SyncRequest {
  installationId: number;
  repositories: readonly { id: number; fullName: string }[];
  trigger: SyncJob['trigger'];
  /** The webhook delivery that asked; a redelivery yields the same keys. */
  deliveryId: string;
  now: Date;
}

/** A sync job as a queue message, named by its repository within a batch. */
export function syncJobMessage(job: SyncJob, delaySeconds?: number): OutgoingMessage {
  return outgoingMessage(syncJobSchema, job, String(job.repository.id), delaySeconds);
}

/** One message per repository, keyed so a repeat of the same request is recognisable. */
export function syncJobMessages(request: SyncRequest): OutgoingMessage[] {
  return request.repositories.map((repository) =>
    syncJobMessage({
      version: 1,
      idempotencyKey: `${request.deliveryId}:${repository.id}`,
      installationId: request.installationId,
      repository: { id: repository.id, fullName: repository.fullName },
      trigger: request.trigger,
      requestedAt: request.now.toISOString(),
    }),
  );
}
