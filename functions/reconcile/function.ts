import * as z from 'zod/mini';
import { githubAppEnvironment, nonEmpty, oneAppCredentialSource } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const reconcileFunction = {
  name: 'reconcile',
  description:
    "Queues an incremental sync of every active repository (a re-sync where PRs were missing), a fetch of each organisation's Copilot usage, a reading of its teams and the public holidays its calendars still lack, and asks GitHub to redeliver failed webhooks",
  memoryMb: 512,
  timeoutSeconds: 300,
  // Catches webhooks GitHub never delivered, or that failed.
  trigger: { kind: 'schedule', schedule: 'reconcileSchedule', input: {} },
  // Read, and the once-only marks of the redeliveries it asks for.
  table: 'readWrite',
  sendsTo: ['sync', 'copilot', 'teams', 'holidays'],
  config: z
    .object({
      TABLE_NAME: nonEmpty,
      SYNC_QUEUE_URL: z.url(),
      COPILOT_QUEUE_URL: z.url(),
      TEAMS_QUEUE_URL: z.url(),
      HOLIDAYS_QUEUE_URL: z.url(),
      ...githubAppEnvironment,
    })
    .check(oneAppCredentialSource),
} as const satisfies FunctionDefinition;
