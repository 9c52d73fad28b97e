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
