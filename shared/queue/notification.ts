import * as z from 'zod/mini';
import { morningNudgeSchema } from './morning-nudge.ts';
import { weeklyDigestSchema } from './rollup-job.ts';
import { syncCompletedSchema } from './sync-completed.ts';

/** Everything the notifications queue carries; the notifier refuses anything else. */
export const notificationSchema = z.discriminatedUnion('kind', [
  syncCompletedSchema,
  weeklyDigestSchema,
  morningNudgeSchema,
]);

export type Notification = z.infer<typeof notificationSchema>;
