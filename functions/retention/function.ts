import * as z from 'zod/mini';
import { nonEmpty, wholeNumber } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const retentionFunction = {
  name: 'retention',
  description:
    "Deletes uninstalled installations' and removed repositories' data after the retention period",
  memoryMb: 512,
  timeoutSeconds: 300,
  trigger: { kind: 'schedule', schedule: 'retentionSchedule', input: {} },
  table: 'readWrite',
  sendsTo: [],
  config: z.object({
    TABLE_NAME: nonEmpty,
    /** Days data is kept after an uninstall or a removal (deploy configuration `retentionDays`). */
    RETENTION_DAYS: wholeNumber(1, 3650),
  }),
} as const satisfies FunctionDefinition;
