import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { jsonSecret } from '../aws/json-secret.ts';
import { ConfigError } from '../errors.ts';
import { refreshing } from '../refreshing.ts';

export interface AppCredentials {
  appId: number;
  privateKey: string;
}

/** The App secret's JSON, as `npm run app:configure` stores it and the worker reads it. */
export const storedAppSecretSchema = z.object({
  appId: z.coerce.number().check(z.int(), z.positive()),
  privateKey: z.string().check(z.minLength(1)),
});

/** How long a read key file is kept (a failed read is kept not at all). */
const keyFileRefreshMs = 60_000;

/**
 * The GitHub App's id and private key: from the environment (the key inline
 * or as the PEM file GitHub hands out) locally, from Secrets Manager in AWS.
 * Re-read now and then, and after a read that failed, so a rotated key takes
 * effect on a warm worker and a key configured late is picked up.
 */
export function appCredentialsSource(config: {
  GITHUB_APP_SECRET_ARN?: string | undefined;
  GITHUB_APP_ID?: number | undefined;
  GITHUB_APP_PRIVATE_KEY?: string | undefined;
  GITHUB_APP_PRIVATE_KEY_PATH?: string | undefined;
}): () => Promise<AppCredentials> {
  const appId = config.GITHUB_APP_ID;
  if (appId && config.GITHUB_APP_PRIVATE_KEY) {
    const credentials = { appId, privateKey: config.GITHUB_APP_PRIVATE_KEY };
    return async () => credentials;
  }
  if (appId && config.GITHUB_APP_PRIVATE_KEY_PATH) {
    const path = config.GITHUB_APP_PRIVATE_KEY_PATH;
    return refreshing(async () => {
      try {
        return { appId, privateKey: await readFile(path, 'utf8') };
      } catch (error) {
        throw new ConfigError(`cannot read GITHUB_APP_PRIVATE_KEY_PATH ${path}: ${String(error)}`);
      }
    }, keyFileRefreshMs);
  }
  return jsonSecret(
    config.GITHUB_APP_SECRET_ARN as string,
    storedAppSecretSchema,
    '{"appId": 123, "privateKey": "-----BEGIN ..."}',
  );
}
