import * as z from 'zod/mini';
import { nonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';
import { table } from '#shared/resources.ts';
import { dirtyWeekAttributes } from '#shared/store/dirty-weeks.ts';

/**
 * The one function that loads the holiday data set (`date-holidays`,
 * public-holidays.ts): a settings page stores a calendar's region, and this
 * resolves it to dates. Its bundle answers moment-timezone from the runtime's
 * own zone data (infra/moment-timezone-intl.ts), which is what keeps it
 * under 1 MB.
 */
export const holidaysFunction = {
  name: 'holidays',
  description:
    "Resolves a working calendar's public holidays to dates after a settings page saved its region",
  memoryMb: 512,
  // A region's 30 years take a fifth of a second (up to a second on a cold start).
  timeoutSeconds: 60,
  // Calendars are saved by hand, a few a day: one job per invocation.
  trigger: { kind: 'queue', queue: 'holidays', batchSize: 1 },
  // Reads an installation's item and a team's; writes a calendar's dates and the weeks to roll up again.
  table: [
    { actions: ['GetItem'], partitions: ['INST#*'], exceptPartitions: ['INST#*#*'] },
    {
      actions: ['UpdateItem'],
      partitions: ['INST#*'],
      exceptPartitions: ['INST#*#*'],
      attributes: [
        table.partitionKey,
        table.sortKey,
        'workingCalendar',
        'settingsVersion',
        'accountLogin',
        'deletedAt',
        ...dirtyWeekAttributes,
      ],
    },
  ],
  sendsTo: [],
  config: z.object({ TABLE_NAME: nonEmpty }),
} as const satisfies FunctionDefinition;
