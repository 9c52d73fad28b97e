import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { describe, expect, it } from 'vitest';

describe('npm run github-sim (standalone)', () => {
  it('ends start-up with one JSON line that is enough to authenticate as the App', async () => {
    const child = spawn(
      process.execPath,
      ['infra/local/github-sim/cli.ts', '--port', '0', '--seed', '9', '--organisations', '2'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const lines = createInterface({ input: child.stdout });
      let info:
        | {
            url: string;
            appId: number;
            privateKeyPath: string;
            installationId: number;
            installationIds: number[];
            webhookSecret: string;
          }
        | undefined;
      for await (const line of lines) {
        if (line.startsWith('{')) {
          info = JSON.parse(line);
          break;
        }
      }
      if (!info) throw new Error('no JSON start-up line');

      const octokit = new Octokit({
        baseUrl: info.url,
        authStrategy: createAppAuth,
        auth: {
          appId: info.appId,
          privateKey: readFileSync(info.privateKeyPath, 'utf8'),
          installationId: info.installationId,
        },
      });
      const { data } = await octokit.request('GET /installation/repositories');

      expect(data.repositories.map((repo) => repo.full_name)).toEqual([
        'sim-org/api',
        'sim-org/web',
      ]);
      expect(info.webhookSecret).toMatch(/^[0-9a-f]{40}$/);
      // Two more organisations, each its own installation of three repositories.
      expect(info.installationIds).toEqual([4242, 4243, 4244]);
      const other = new Octokit({
        baseUrl: info.url,
        authStrategy: createAppAuth,
        auth: {
          appId: info.appId,
          privateKey: readFileSync(info.privateKeyPath, 'utf8'),
          installationId: 4244,
        },
      });
      const theirs = await other.request('GET /installation/repositories');
      expect(theirs.data.repositories.map((repo) => repo.full_name)).toEqual([
        'sim-org-3/repo-1',
        'sim-org-3/repo-2',
        'sim-org-3/repo-3',
      ]);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses a port that is not a number', async () => {
    const child = spawn(process.execPath, ['infra/local/github-sim/cli.ts', '--port', 'eighty'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');

    expect(code).toBe(2);
    expect(stderr).toMatch(/--port must be a non-negative integer/);
  });
});
