import { createPrivateKey } from 'node:crypto';
import manifest from '../github-app-manifest.json' with { type: 'json' };

/** The GitHub App Flowmeter needs: its manifest (`infra/github-app-manifest.json`). */
export const appManifest = manifest;

/**
 * The link that opens GitHub's "Register new GitHub App" page pre-filled
 * from the manifest (GitHub's URL parameters), for an organisation or, without
 * one, the signed-in user. `githubWebUrl` is github.com or an Enterprise host.
 */
export function registrationUrl(options: {
  githubWebUrl: string;
  webhookUrl: string;
  /** The stack's DashboardUrl: people signing in come back to `<this>/login/callback`. */
  dashboardUrl?: string | undefined;
  organisation?: string | undefined;
}): string {
  const base = options.githubWebUrl.replace(/\/+$/, '');
  const path = options.organisation
    ? `/organizations/${encodeURIComponent(options.organisation)}/settings/apps/new`
    : '/settings/apps/new';
  const url = new URL(`${base}${path}`);
  const params = url.searchParams;
  params.set('name', manifest.name);
  params.set('description', manifest.description);
  params.set('url', manifest.url);
  params.set('public', String(manifest.public));
  params.set('webhook_active', String(manifest.hook_attributes.active));
  params.set('webhook_url', options.webhookUrl);
  for (const [permission, access] of Object.entries(manifest.default_permissions))
    params.set(permission, access);
  for (const event of manifest.default_events) params.append('events[]', event);
  if (options.dashboardUrl)
    params.append('callback_urls[]', new URL('/login/callback', options.dashboardUrl).href);
  return url.href;
}

/**
 * The App secret's value from the id and the PEM file GitHub generated,
 * refusing what the worker could not use (GitHub keys are RSA).
 */
export function appSecretValue(appId: number, privateKeyPem: string): string {
  if (!Number.isSafeInteger(appId) || appId <= 0)
    throw new Error(`--app-id must be the App's numeric id, not ${appId}`);
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new Error(`--private-key is not a PEM private key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new Error(`--private-key is a ${key.asymmetricKeyType} key; GitHub App keys are RSA`);
  return JSON.stringify({ appId, privateKey: privateKeyPem });
}

/**
 * The dashboard secret's value with the App's OAuth client in it, keeping
 * the session key the stack generated (a new one would sign everyone out).
 */
export function dashboardSecretValue(
  stored: string,
  clientId: string,
  clientSecret: string,
): string {
  const current = JSON.parse(stored || '{}') as { sessionKey?: string };
  if (!current.sessionKey || current.sessionKey.length < 32)
    throw new Error(
      'the dashboard secret has no generated sessionKey: is this the DashboardSecretArn output?',
    );
  if (!/^Iv[0-9a-z]*\.[A-Za-z0-9]+$/.test(clientId))
    throw new Error(`--client-id must be the App's client ID (Iv1.…), not ${clientId}`);
  if (clientSecret.length < 20)
    throw new Error('--client-secret is too short to be a GitHub client secret');
  return JSON.stringify({ clientId, clientSecret, sessionKey: current.sessionKey });
}
