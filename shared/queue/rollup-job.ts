import * as z from 'zod/mini';

const isoWeek = z.string().check(z.regex(/^\d{4}-W\d{2}$/, 'an ISO week like 2026-W47'));

/**
 * "Roll up an installation's metrics": recompute `week` (a finished week in
 * `digestTimeZone`) and every week marked dirty by late data; with
 * `digest`, then ask for that week's digest emails — the organisation's and
 * every team's whose weeks are cut in that zone. Recomputing overwrites, so
 * a job delivered twice leaves the same items; each digest's key makes the
 * notifier send it once.
 */
export const rollupJobSchema = z.object({
  version: z.literal(1),
  kind: z.literal('rollup'),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(250)),
  installationId: z.int().check(z.positive()),
  week: z.optional(isoWeek),
  digest: z.boolean(),
  /** Whose Monday it is: the organisation's zone when unset (jobs queued before teams had zones). */
  digestTimeZone: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  requestedAt: z.iso.datetime(),
});

export type RollupJob = z.infer<typeof rollupJobSchema>;

/** "A week's digest is due": to the notifications queue, once the week's rows are stored. */
export const weeklyDigestSchema = z.object({
  version: z.literal(1),
  kind: z.literal('weekly-digest'),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(250)),
  installationId: z.int().check(z.positive()),
  week: isoWeek,
  /** A GitHub team's digest, to its own recipients; the organisation's when unset. */
  teamId: z.optional(z.int().check(z.positive())),
});

export type WeeklyDigest = z.infer<typeof weeklyDigestSchema>;
