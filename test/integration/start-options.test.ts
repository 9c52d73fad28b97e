import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { demoDataset, demoDatasetOf, demoSize, keepDemoSize } from '#infra/local/demo.ts';

const start = fileURLToPath(new URL('../../infra/local/start.ts', import.meta.url));

describe('npm start -- --repositories N --latency-ms M', () => {
  it.each([
    [['--repositories', '0'], '--repositories takes a whole number from 1 to 1000, not "0"'],
    [['--repositories', '12x'], '--repositories takes a whole number from 1 to 1000, not "12x"'],
    [['--latency-ms', 'soon'], '--latency-ms takes a whole number from 0 to 60000, not "soon"'],
    [['--colour'], "Unknown option '--colour'"],
  ])('refuses %j with a clear error, starting nothing', async (flags, error) => {
    const cwd = await mkdtemp(join(tmpdir(), 'flowmeter-start-'));

    const run = spawnSync(process.execPath, [start, '--fresh', ...flags], {
      cwd,
      encoding: 'utf8',
      timeout: 20_000,
    });

    expect(run.status).toBe(2);
    expect(run.stderr).toContain(error);
    expect(run.stderr).toContain('usage: npm start');
    // Not even --fresh acted: no data folder made or removed.
    expect(existsSync(join(cwd, '.data'))).toBe(false);
  });

  it('gives the demo organisation that many repositories, the first three as always', () => {
    const dataset = demoDatasetOf(200);

    expect(dataset.repositories).toHaveLength(200);
    expect(dataset.repositories.slice(0, 3)).toEqual(demoDataset.repositories);
    expect(dataset.repositories[3]?.name).toBe('service-4');
    for (const repo of dataset.repositories.slice(3)) {
      expect(repo.pullRequests).toBeGreaterThanOrEqual(200);
      expect(repo.pullRequests).toBeLessThanOrEqual(400);
    }
    expect(demoDatasetOf(2).repositories).toEqual(demoDataset.repositories.slice(0, 2));
  });

  it('goes on with the size of kept data, and asks for --fresh to change it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'flowmeter-data-'));
    await keepDemoSize(dataDir, { repositories: 3, latencyMs: 0 });

    expect(await demoSize({ fresh: false }, dataDir)).toEqual({ repositories: 3, latencyMs: 0 });
    await expect(demoSize({ repositories: '200', fresh: false }, dataDir)).rejects.toThrow(
      'add --fresh to start one of 200',
    );
    expect(
      await demoSize({ repositories: '200', 'latency-ms': '1000', fresh: true }, dataDir),
    ).toEqual({ repositories: 200, latencyMs: 1000 });
  });
});
