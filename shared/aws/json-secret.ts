import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as z from 'zod/mini';
import { ConfigError } from '../errors.ts';
import { refreshing } from '../refreshing.ts';

/** A secret rotated in Secrets Manager shows up within this long on a warm function. */
const refreshAfterMs = 5 * 60 * 1000;

/**
 * A JSON secret from Secrets Manager, checked against its schema; re-read
 * every five minutes, and after any read that failed.
 */
export function jsonSecret<Schema extends z.ZodMiniType>(
  secretId: string,
  schema: Schema,
  /** The expected shape, for the error an operator reads: `{"appId": 123, ...}`. */
  shape: string,
): () => Promise<z.infer<Schema>> {
  const client = new SecretsManagerClient({});
  return refreshing(async () => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    let value: unknown;
    try {
      value = JSON.parse(SecretString ?? '');
    } catch {
      value = undefined;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ConfigError(`secret ${secretId} must be JSON ${shape}`);
    return parsed.data;
  }, refreshAfterMs);
}
