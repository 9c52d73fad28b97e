import * as z from 'zod/mini';
import { nonEmpty, optionalNonEmpty, wholeNumber } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const syncWorkerFunction = {
  name: 'sync-worker',
  description: 'Syncs one repository a chunk at a time from its checkpoint',
  memoryMb: 1024,
  timeoutSeconds: 300,
  // One job per invocation: a job uses the whole time budget.
  trigger: { kind: 'queue', queue: 'sync', batchSize: 1 },
  table: 'readWrite',
  sendsTo: ['sync', 'notify'],
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
      /** GitHub's REST/GraphQL base URL (deploy configuration `githubApiUrl`). */
      GITHUB_API_URL: z.url(),
      /** AWS: Secrets Manager secret holding {"appId": 123, "privateKey": "-----BEGIN ..."}. */
      GITHUB_APP_SECRET_ARN: optionalNonEmpty,
      /** Local: the App id and its PEM private key, inline or as a key file. */
      GITHUB_APP_ID: z.optional(wholeNumber(1)),
      GITHUB_APP_PRIVATE_KEY: optionalNonEmpty,
      GITHUB_APP_PRIVATE_KEY_PATH: optionalNonEmpty,
      /** Backfill window of a first sync in days, 0 = all (deploy configuration `daysBack`). */
      SYNC_DAYS_BACK: wholeNumber(0, 3650),
      /** GraphQL points kept for webhook-driven work; below it a sync waits for the reset. */
      SYNC_RATE_LIMIT_RESERVE: z._default(wholeNumber(0), 100),
      /** Gap between GitHub GraphQL requests; Octokit's default is 1000. */
      GITHUB_REQUEST_SPACING_MS: z._default(wholeNumber(0), 1000),
    })
    .check(
      z.refine(
        (env) =>
          Boolean(env.GITHUB_APP_SECRET_ARN) !==
          Boolean(
            env.GITHUB_APP_ID && (env.GITHUB_APP_PRIVATE_KEY || env.GITHUB_APP_PRIVATE_KEY_PATH),
          ),
        {
          message:
            'set GITHUB_APP_SECRET_ARN (AWS) or GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH (local), not both',
        },
      ),
    ),
} as const satisfies FunctionDefinition;
