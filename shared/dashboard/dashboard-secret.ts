import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { jsonSecret } from '../aws/json-secret.ts';

/** What the dashboard signs people in and seals cookies with. */
export interface DashboardSecret {
  clientId: string;
  clientSecret: string;
  /** 32 bytes, from the stored key phrase. */
  sessionKey: Buffer;
}

/** Any random phrase of 32 characters or more (Secrets Manager generates one); hashed to the AES key. */
const sessionKey = z.string().check(z.minLength(32, 'sessionKey must be at least 32 characters'));

export const storedDashboardSecretSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  clientSecret: z.string().check(z.minLength(1)),
  sessionKey,
});

/**
 * AWS: the secret `npm run app:configure` fills (`DASHBOARD_SECRET_ARN`);
 * locally: the App's OAuth client from the environment and a session key.
 */
export function dashboardSecretSource(config: {
  DASHBOARD_SECRET_ARN?: string | undefined;
  GITHUB_CLIENT_ID?: string | undefined;
  GITHUB_CLIENT_SECRET?: string | undefined;
  DASHBOARD_SESSION_KEY?: string | undefined;
}): () => Promise<DashboardSecret> {
  const toSecret = (stored: z.infer<typeof storedDashboardSecretSchema>): DashboardSecret => ({
    clientId: stored.clientId,
    clientSecret: stored.clientSecret,
    sessionKey: createHash('sha256').update(stored.sessionKey).digest(),
  });
  if (config.DASHBOARD_SECRET_ARN) {
    const read = jsonSecret(
      config.DASHBOARD_SECRET_ARN,
      storedDashboardSecretSchema,
      '{"clientId": "Iv1...", "clientSecret": "...", "sessionKey": "<32 or more random characters>"}',
    );
    return async () => toSecret(await read());
  }
  const local = toSecret(
    storedDashboardSecretSchema.parse({
      clientId: config.GITHUB_CLIENT_ID,
      clientSecret: config.GITHUB_CLIENT_SECRET,
      sessionKey: config.DASHBOARD_SESSION_KEY,
    }),
  );
  return async () => local;
}
