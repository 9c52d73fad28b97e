import * as z from 'zod/mini';
import {
  githubAppEnvironment,
  nonEmpty,
  oneAppCredentialSource,
  wholeNumber,
} from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const copilotUsageFunction = {
  name: 'copilot-usage',
  description: "Stores the days of an organisation's GitHub Copilot usage reports not stored yet",
  memoryMb: 512,
  timeoutSeconds: 300,
  // One installation per invocation: its missing days use the time budget.
  trigger: { kind: 'queue', queue: 'copilot', batchSize: 1 },
  table: 'readWrite',
  sendsTo: ['copilot'],
  config: z
    .object({
      TABLE_NAME: nonEmpty,
      COPILOT_QUEUE_URL: z.url(),
      ...githubAppEnvironment,
      /** Days back a first fetch reaches: GitHub keeps a year of reports. */
      COPILOT_HISTORY_DAYS: z._default(wholeNumber(1, 366), 365),
    })
    .check(oneAppCredentialSource),
} as const satisfies FunctionDefinition;
