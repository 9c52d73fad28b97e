import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { optionalNonEmpty } from '../config.ts';
import { jsonSecret } from './json-secret.ts';

/**
 * The key the teams' Slack webhook URLs are sealed under (AES-256-GCM,
 * `seal.ts`): a key of their own, not the dashboard's session key, so that
 * rotating the session key (which signs everyone out) loses no URL, and the
 * notifier, which must open them, never holds the App's OAuth client.
 */
export const slackUrlKeyEnvironment = {
  /** AWS: Secrets Manager secret holding {"key": "<32 or more random characters>"}. */
  SLACK_KEY_SECRET_ARN: optionalNonEmpty,
  /** Local: the key phrase itself. */
  SLACK_URL_KEY: optionalNonEmpty,
};

const storedKey = z.object({
  key: z.string().check(z.minLength(32, 'key must be at least 32 characters')),
});

/** The key from Secrets Manager (re-read every five minutes) or the environment; undefined when neither is set. */
export function slackUrlKeySource(config: {
  SLACK_KEY_SECRET_ARN?: string | undefined;
  SLACK_URL_KEY?: string | undefined;
}): (() => Promise<Buffer>) | undefined {
  const toKey = (phrase: string) => createHash('sha256').update(phrase).digest();
  if (config.SLACK_KEY_SECRET_ARN) {
    const read = jsonSecret(
      config.SLACK_KEY_SECRET_ARN,
      storedKey,
      '{"key": "<32 or more random characters>"}',
    );
    return async () => toKey((await read()).key);
  }
  if (!config.SLACK_URL_KEY) return undefined;
  const local = toKey(storedKey.parse({ key: config.SLACK_URL_KEY }).key);
  return async () => local;
}
