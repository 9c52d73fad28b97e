import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { ConfigError } from '../errors.ts';

/** The secrets a delivery may be signed with: the current one first, then any being rotated out. */
export type WebhookSecrets = readonly [string, ...string[]];

/** A rotation shows up within this long on a warm function. */
const refreshAfterMs = 5 * 60 * 1000;

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
  const secretId = config.WEBHOOK_SECRET_ARN as string;
  const client = new SecretsManagerClient({});
  let cached: { secrets: WebhookSecrets; fetchedAt: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.fetchedAt < refreshAfterMs) return cached.secrets;
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const parsed = storedWebhookSecretSchema.safeParse(JSON.parse(SecretString ?? '{}'));
    if (!parsed.success) {
      throw new ConfigError(
        `secret ${secretId} must be JSON {"current": "...", "previous"?: "..."}`,
      );
    }
    const { current, previous } = parsed.data;
    cached = { secrets: previous ? [current, previous] : [current], fetchedAt: Date.now() };
    return cached.secrets;
  };
}
