import * as z from 'zod/mini';
import { nonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const rollupDispatcherFunction = {
  name: 'rollup-dispatcher',
  description: 'Queues weekly rollups of the installations due now, and of late data',
  memoryMb: 512,
  timeoutSeconds: 60,
  // Hourly, so each time zone gets its Monday 06:00; `{"mode": "now"}` is `npm run rollup`'s.
  trigger: { kind: 'schedule', schedule: 'rollupSchedule', input: { mode: 'scheduled' } },
  table: 'read',
  sendsTo: ['rollup'],
  config: z.object({ TABLE_NAME: nonEmpty, ROLLUP_QUEUE_URL: z.url() }),
} as const satisfies FunctionDefinition;
