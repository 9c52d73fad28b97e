import * as z from 'zod/mini';
import { nonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const rollupWorkerFunction = {
  name: 'rollup-worker',
  description: "Recomputes an installation's weekly metrics",
  memoryMb: 1024,
  timeoutSeconds: 300,
  // One installation's weeks per invocation.
  trigger: { kind: 'queue', queue: 'rollup', batchSize: 1 },
  table: 'readWrite',
  sendsTo: ['notify'],
  config: z.object({ TABLE_NAME: nonEmpty, NOTIFY_QUEUE_URL: z.url() }),
} as const satisfies FunctionDefinition;
