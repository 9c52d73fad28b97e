import * as z from 'zod/mini';

/**
 * "A repository's sync run ended" — complete, or failed for good: sent to the
 * notifications queue once per run, before the run's end is recorded, so a
 * crash between the two sends it again with the same idempotency key rather
 * than never. (Messages from before `outcome` existed were all completions.)
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
  outcome: z._default(z.enum(['complete', 'failed']), 'complete'),
  pullRequests: z.int().check(z.nonnegative()),
  finishedAt: z.iso.datetime(),
});

export type SyncCompleted = z.infer<typeof syncCompletedSchema>;
