import { readFile } from 'node:fs/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { ConfigError } from '../errors.ts';

export interface AppCredentials {
  appId: number;
  privateKey: string;
}

/** The App secret's JSON, as `npm run app:configure` stores it and the worker reads it. */
export const storedAppSecretSchema = z.object({
  appId: z.coerce.number().check(z.int(), z.positive()),
  privateKey: z.string().check(z.minLength(1)),
});

/**
 * The GitHub App's id and private key: from the environment (the key inline
 * or as the PEM file GitHub hands out) locally, from
 * Secrets Manager in AWS (read once per cold start; a rotated key takes
 * effect on the next one).
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
    const loaded = readFile(path, 'utf8').then(
      (privateKey) => ({ appId, privateKey }),
      (error: unknown) => {
        throw new ConfigError(`cannot read GITHUB_APP_PRIVATE_KEY_PATH ${path}: ${String(error)}`);
      },
    );
    return () => loaded;
  }
  const secretId = config.GITHUB_APP_SECRET_ARN as string;
  let loaded: Promise<AppCredentials> | undefined;
  return () => {
    loaded ??= new SecretsManagerClient({})
      .send(new GetSecretValueCommand({ SecretId: secretId }))
      .then(({ SecretString }) => {
        const parsed = storedAppSecretSchema.safeParse(JSON.parse(SecretString ?? '{}'));
        if (!parsed.success) {
          throw new ConfigError(
            `secret ${secretId} must be JSON {"appId": 123, "privateKey": "-----BEGIN ..."}`,
          );
        }
        return parsed.data;
      });
    return loaded;
  };
}
