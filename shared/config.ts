import { z } from 'zod';
import { ConfigError } from './errors.ts';

/**
 * Parses environment variables once, at cold start, and fails fast with every
 * problem listed. CDK is the only place that sets these in AWS; the local stack
 * sets them on a laptop.
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return result.data;
}

const nonEmpty = z.string().trim().min(1);

export const webhookConfigSchema = z
  .object({
    TABLE_NAME: nonEmpty,
    SYNC_QUEUE_URL: z.url(),
    /** AWS: Secrets Manager secret holding {"current": "...", "previous": "..."}. */
    WEBHOOK_SECRET_ARN: nonEmpty.optional(),
    /** Local: the secret itself, and optionally the one being rotated out. */
    GITHUB_WEBHOOK_SECRET: nonEmpty.optional(),
    GITHUB_WEBHOOK_PREVIOUS_SECRET: nonEmpty.optional(),
    /** How long a delivery id is remembered; GitHub redelivers up to 3 days back. */
    DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(3).max(90).default(7),
  })
  .refine((env) => Boolean(env.WEBHOOK_SECRET_ARN) !== Boolean(env.GITHUB_WEBHOOK_SECRET), {
    message: 'set exactly one of WEBHOOK_SECRET_ARN (AWS) or GITHUB_WEBHOOK_SECRET (local)',
  });

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export const statusApiConfigSchema = z.object({ TABLE_NAME: nonEmpty });
