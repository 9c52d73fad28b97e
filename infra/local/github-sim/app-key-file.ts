import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppCredentials, generateAppCredentials } from './app-auth.ts';

/**
 * The simulated App's private key, kept as a PEM file (as GitHub hands it
 * out) so restarts and other processes use the same App.
 */
export async function loadOrCreateAppKey(
  dir: string,
  appId: number,
): Promise<AppCredentials & { privateKeyPath: string }> {
  const privateKeyPath = join(dir, `app-${appId}.private-key.pem`);
  await mkdir(dir, { recursive: true });
  if (!existsSync(privateKeyPath)) {
    await writeFile(privateKeyPath, generateAppCredentials(appId).privateKey, { mode: 0o600 });
  }
  return { appId, privateKey: await readFile(privateKeyPath, 'utf8'), privateKeyPath };
}
