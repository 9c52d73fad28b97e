import * as z from 'zod/mini';
import { jsonSecret } from '../aws/json-secret.ts';

/** The secrets a delivery may be signed with: the current one first, then any being rotated out. */
export type WebhookSecrets = readonly [string, ...string[]];

/** The webhook secret's JSON: `previous` is set only while rotating. */
export const storedWebhookSecretSchema = z.object({
  current: z.string().check(z.minLength(1)),
  previous: z.optional(z.string().check(z.minLength(1))),
});

/**
 * Where the webhook secrets come from: the environment locally, Secrets
 * Manager in AWS (a JSON secret {"current", "previous"}; set `previous` while
 * rotating so deliveries signed with either are accepted).
 */
export function webhookSecretsSource(config: {
  GITHUB_WEBHOOK_SECRET?: string | undefined;
  GITHUB_WEBHOOK_PREVIOUS_SECRET?: string | undefined;
  WEBHOOK_SECRET_ARN?: string | undefined;
}): () => Promise<WebhookSecrets> {
  if (config.GITHUB_WEBHOOK_SECRET) {
    const secrets: WebhookSecrets = [
      config.GITHUB_WEBHOOK_SECRET,
      ...(config.GITHUB_WEBHOOK_PREVIOUS_SECRET ? [config.GITHUB_WEBHOOK_PREVIOUS_SECRET] : []),
    ];
    return async () => secrets;
  }
  const read = jsonSecret(
    config.WEBHOOK_SECRET_ARN as string,
    storedWebhookSecretSchema,
    '{"current": "...", "previous"?: "..."}',
  );
  return async () => {
    const { current, previous } = await read();
    return previous ? [current, previous] : [current];
  };
}
