import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appCredentialsSource } from '#shared/github/app-credentials.ts';

const folder = await mkdtemp(join(tmpdir(), 'flowmeter-app-key-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('appCredentialsSource', () => {
  it('picks up a key file written after the worker started, though the first read failed', async () => {
    const path = join(folder, 'app.pem');
    const credentials = appCredentialsSource({
      GITHUB_APP_ID: 42,
      GITHUB_APP_PRIVATE_KEY_PATH: path,
    });

    await expect(credentials()).rejects.toThrow(/cannot read GITHUB_APP_PRIVATE_KEY_PATH/);
    await writeFile(path, '-----BEGIN RSA PRIVATE KEY-----\n...');

    await expect(credentials()).resolves.toEqual({
      appId: 42,
      privateKey: '-----BEGIN RSA PRIVATE KEY-----\n...',
    });
  });
});
