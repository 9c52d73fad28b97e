import * as z from 'zod/mini';

/**
 * "A repository finished syncing": sent to the notifications queue once per
 * run, before the run is recorded complete, so a crash between the two sends
 * it again with the same idempotency key rather than never.
 */
export const syncCompletedSchema = z.object({
  version: z.literal(1),
  kind: z.literal('sync-completed'),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(250)),
  installationId: z.int().check(z.positive()),
  repository: z.object({
    id: z.int().check(z.positive()),
    fullName: z.string().check(z.minLength(3)),
  }),
  mode: z.enum(['backfill', 'incremental']),
  pullRequests: z.int().check(z.nonnegative()),
  finishedAt: z.iso.datetime(),
});

export type SyncCompleted = z.infer<typeof syncCompletedSchema>;
