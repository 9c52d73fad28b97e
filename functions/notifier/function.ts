import * as z from 'zod/mini';
import { nonEmpty, optionalNonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const notifierFunction = {
  name: 'notifier',
  description: 'Sends sync-complete and weekly digest emails through SES, once each',
  memoryMb: 512,
  timeoutSeconds: 60,
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
  }),
} as const satisfies FunctionDefinition;
