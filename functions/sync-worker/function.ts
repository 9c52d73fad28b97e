import * as z from 'zod/mini';
import {
  githubAppEnvironment,
  githubBudgetEnvironment,
  nonEmpty,
  oneAppCredentialSource,
  wholeNumber,
} from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const syncWorkerFunction = {
  name: 'sync-worker',
  description: 'Syncs one repository a chunk at a time from its checkpoint',
  memoryMb: 1024,
  timeoutSeconds: 300,
  // One job per invocation: a job uses the whole time budget.
  trigger: { kind: 'queue', queue: 'sync', batchSize: 1 },
  table: 'readWrite',
  // The rollup: a first backfill's finished week, once every repository has its recent history.
  sendsTo: ['sync', 'notify', 'rollup'],
  /**
   * V8 heap limits. The worker holds ~60 MiB at most (one chunk), but left to
   * its defaults V8 grows the heap lazily towards the function's memory and
   * the process peaks above 300 MiB on a long backfill; capped, it collects
   * sooner at no measurable cost in speed (`npm run bench`, part 4).
   */
  nodeOptions: '--max-old-space-size=160 --max-semi-space-size=2',
  config: z
    .object({
      TABLE_NAME: nonEmpty,
      SYNC_QUEUE_URL: z.url(),
      NOTIFY_QUEUE_URL: z.url(),
      ROLLUP_QUEUE_URL: z.url(),
      ...githubAppEnvironment,
      /** Backfill window of a first sync in days, 0 = all (deploy configuration `daysBack`). */
      SYNC_DAYS_BACK: wholeNumber(0, 3650),
      ...githubBudgetEnvironment,
    })
    .check(oneAppCredentialSource),
} as const satisfies FunctionDefinition;
