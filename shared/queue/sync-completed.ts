import * as z from 'zod';

/**
 * "A repository finished syncing": sent to the notifications queue once per
 * run, before the run is recorded complete, so a crash between the two sends
 * it again with the same idempotency key rather than never.
 */
export const syncCompletedSchema = z.object({
  version: z.literal(1),
  kind: z.literal('sync-completed'),
  idempotencyKey: z.string().min(1).max(250),
  installationId: z.number().int().positive(),
  repository: z.object({ id: z.number().int().positive(), fullName: z.string().min(3) }),
  mode: z.enum(['backfill', 'incremental']),
  pullRequests: z.number().int().nonnegative(),
  finishedAt: z.iso.datetime(),
});

export type SyncCompleted = z.infer<typeof syncCompletedSchema>;
