import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { SyncWorkerConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';

export interface AppCredentials {
  appId: number;
  privateKey: string;
}

const storedSchema = z.object({
  appId: z.coerce.number().int().positive(),
  privateKey: z.string().min(1),
});

/**
 * The GitHub App's id and private key: from the environment locally, from
 * Secrets Manager in AWS (read once per cold start; a rotated key takes
 * effect on the next one).
 */
export function appCredentialsSource(config: SyncWorkerConfig): () => Promise<AppCredentials> {
  if (config.GITHUB_APP_ID && config.GITHUB_APP_PRIVATE_KEY) {
    const credentials = { appId: config.GITHUB_APP_ID, privateKey: config.GITHUB_APP_PRIVATE_KEY };
    return async () => credentials;
  }
  const secretId = config.GITHUB_APP_SECRET_ARN as string;
  let loaded: Promise<AppCredentials> | undefined;
  return () => {
    loaded ??= new SecretsManagerClient({})
      .send(new GetSecretValueCommand({ SecretId: secretId }))
      .then(({ SecretString }) => {
        const parsed = storedSchema.safeParse(JSON.parse(SecretString ?? '{}'));
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
