import * as z from 'zod/mini';
import { slackUrlKeyEnvironment } from '#shared/aws/slack-url-key.ts';
import { nonEmpty, optionalNonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const notifierFunction = {
  name: 'notifier',
  description:
    'Sends sync-complete and weekly digest emails through SES, and morning nudges by email and Slack, once each',
  memoryMb: 512,
  // A batch of ten nudges whose Slack posts each time out and retry twice (5 s each) still finishes.
  timeoutSeconds: 180,
  // Notifications are small; up to ten per invocation.
  trigger: { kind: 'queue', queue: 'notify', batchSize: 10 },
  table: 'readWrite',
  sendsTo: [],
  config: z.object({
    TABLE_NAME: nonEmpty,
    /** The verified SES identity emails come from. */
    NOTIFY_FROM: z.email(),
    /** SES configuration set (bounce and complaint events); none locally. */
    SES_CONFIGURATION_SET: optionalNonEmpty,
    /** Public base of the unsubscribe route on the HTTP API. */
    UNSUBSCRIBE_URL: z.url(),
    /** Where PR links in emails point: github.com, a GitHub Enterprise host, or the simulator. */
    GITHUB_WEB_URL: z.url(),
    /** The dashboard's base URL: a nudge links to the team's page. */
    DASHBOARD_URL: z.url(),
    ...slackUrlKeyEnvironment,
  }),
} as const satisfies FunctionDefinition;
