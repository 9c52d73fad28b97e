import * as z from 'zod/mini';
import { ConfigError } from './errors.ts';
import { describeIssues } from './schema-issues.ts';

/**
 * Parses environment variables once, at cold start, and fails fast with every
 * problem listed. CDK is the only place that sets these in AWS; the local stack
 * sets them on a laptop.
 */
export function parseEnv<T extends z.ZodMiniType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(`invalid configuration: ${describeIssues(result.error).join('; ')}`);
  }
  return result.data;
}

const nonEmpty = z.string().check(z.trim(), z.minLength(1));
const optionalNonEmpty = z.optional(nonEmpty);

/** A whole number from a variable's text, within bounds. */
function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
}

export const webhookConfigSchema = z
  .object({
    TABLE_NAME: nonEmpty,
    SYNC_QUEUE_URL: z.url(),
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
  );

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export const statusApiConfigSchema = z.object({ TABLE_NAME: nonEmpty });

export const syncWorkerConfigSchema = z
  .object({
    TABLE_NAME: nonEmpty,
    SYNC_QUEUE_URL: z.url(),
    NOTIFY_QUEUE_URL: z.url(),
    GITHUB_API_URL: z._default(z.url(), 'https://api.github.com'),
    /** AWS: Secrets Manager secret holding {"appId": 123, "privateKey": "-----BEGIN ..."}. */
    GITHUB_APP_SECRET_ARN: optionalNonEmpty,
    /** Local: the App id and its PEM private key, inline or as a key file. */
    GITHUB_APP_ID: z.optional(wholeNumber(1)),
    GITHUB_APP_PRIVATE_KEY: optionalNonEmpty,
    GITHUB_APP_PRIVATE_KEY_PATH: optionalNonEmpty,
    SYNC_DAYS_BACK: z._default(wholeNumber(0, 3650), 90),
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
  );

export type SyncWorkerConfig = z.infer<typeof syncWorkerConfigSchema>;

export const reconcileConfigSchema = z.object({ TABLE_NAME: nonEmpty, SYNC_QUEUE_URL: z.url() });

export const rollupDispatcherConfigSchema = z.object({
  TABLE_NAME: nonEmpty,
  ROLLUP_QUEUE_URL: z.url(),
});

export const rollupWorkerConfigSchema = z.object({
  TABLE_NAME: nonEmpty,
  NOTIFY_QUEUE_URL: z.url(),
});

export const notifierConfigSchema = z.object({
  TABLE_NAME: nonEmpty,
  /** The verified SES identity emails come from. */
  NOTIFY_FROM: z.email(),
  /** SES configuration set (bounce and complaint events); none locally. */
  SES_CONFIGURATION_SET: optionalNonEmpty,
  /** Public base of the unsubscribe route on the HTTP API. */
  UNSUBSCRIBE_URL: z.url(),
  /** Where PR links in emails point: github.com, a GitHub Enterprise host, or the simulator. */
  GITHUB_WEB_URL: z._default(z.url(), 'https://github.com'),
});

export const unsubscribeConfigSchema = z.object({ TABLE_NAME: nonEmpty });
