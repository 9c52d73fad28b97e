import * as z from 'zod/mini';
import { nonEmpty, optionalNonEmpty, wholeNumber } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const webhookFunction = {
  name: 'webhook',
  description:
    'Verifies GitHub webhooks, records installations, PRs and team membership, queues sync jobs',
  memoryMb: 512,
  timeoutSeconds: 10,
  trigger: {
    kind: 'http',
    routes: [{ method: 'POST', path: '/webhooks/github' }],
    authorization: 'none',
    checkedBy:
      'GitHub cannot sign requests for an API Gateway authorizer; the function verifies X-Hub-Signature-256 before doing anything.',
  },
  table: 'readWrite',
  sendsTo: ['sync', 'copilot', 'teams'],
  config: z
    .object({
      TABLE_NAME: nonEmpty,
      SYNC_QUEUE_URL: z.url(),
      COPILOT_QUEUE_URL: z.url(),
      TEAMS_QUEUE_URL: z.url(),
      /** AWS: Secrets Manager secret holding {"current": "...", "previous": "..."}. */
      WEBHOOK_SECRET_ARN: optionalNonEmpty,
      /** Local: the secret itself, and optionally the one being rotated out. */
      GITHUB_WEBHOOK_SECRET: optionalNonEmpty,
      GITHUB_WEBHOOK_PREVIOUS_SECRET: optionalNonEmpty,
      /** How long a delivery id is remembered; GitHub redelivers up to 3 days back. */
      DELIVERY_RETENTION_DAYS: z._default(wholeNumber(3, 90), 7),
    })
    .check(
      z.refine((env) => Boolean(env.WEBHOOK_SECRET_ARN) !== Boolean(env.GITHUB_WEBHOOK_SECRET), {
        message: 'set exactly one of WEBHOOK_SECRET_ARN (AWS) or GITHUB_WEBHOOK_SECRET (local)',
      }),
    ),
} as const satisfies FunctionDefinition;
