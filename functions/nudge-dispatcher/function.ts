import * as z from 'zod/mini';
import { nonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const nudgeDispatcherFunction = {
  name: 'nudge-dispatcher',
  description: "Queues each team's morning nudge of what is waiting, in its chosen hour",
  memoryMb: 512,
  // A thousand teams' lists are a few queries per installation; a minute is ample.
  timeoutSeconds: 120,
  // Hourly, so each team gets the hour it chose on its clock; `{"mode": "now"}` sends every team's now.
  trigger: { kind: 'schedule', schedule: 'nudgeSchedule', input: { mode: 'scheduled' } },
  table: 'read',
  sendsTo: ['notify'],
  config: z.object({ TABLE_NAME: nonEmpty, NOTIFY_QUEUE_URL: z.url() }),
} as const satisfies FunctionDefinition;
