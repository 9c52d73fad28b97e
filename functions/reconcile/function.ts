import * as z from 'zod/mini';
import { nonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const reconcileFunction = {
  name: 'reconcile',
  description: 'Queues an incremental sync of every active repository',
  memoryMb: 512,
  timeoutSeconds: 300,
  // Catches webhooks GitHub never delivered.
  trigger: { kind: 'schedule', schedule: 'reconcileSchedule', input: {} },
  table: 'read',
  sendsTo: ['sync'],
  config: z.object({ TABLE_NAME: nonEmpty, SYNC_QUEUE_URL: z.url() }),
} as const satisfies FunctionDefinition;
