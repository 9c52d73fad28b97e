import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitHubSimulatorOptions } from './github-sim/server.ts';

/**
 * The demo organisation `npm start` installs the App on: three repositories of
 * different sizes, half a year of pull requests, from a fixed seed.
 */
export const demoDataset: GitHubSimulatorOptions['dataset'] = {
  seed: 2026,
  installationId: 4242,
  organisation: 'flowmeter-demo',
  repositories: [
    { name: 'api', pullRequests: 1200 },
    { name: 'web', pullRequests: 600 },
    { name: 'infra', pullRequests: 150 },
  ],
};

/**
 * The demo organisation with `repositories` repositories, the size of the
 * reader's own: the first three as always, then `service-4`, `service-5` …
 * with 200 to 400 pull requests each over the same 26 weeks.
 */
export function demoDatasetOf(repositories: number): GitHubSimulatorOptions['dataset'] {
  const more = Array.from({ length: Math.max(0, repositories - 3) }, (_, index) => ({
    name: `service-${index + 4}`,
    pullRequests: 200 + ((index * 53) % 201),
  }));
  return {
    ...demoDataset,
    repositories: [...demoDataset.repositories, ...more].slice(0, repositories),
  };
}

/** What `npm start` was asked for: its organisation's size and GitHub's answer time. */
export interface DemoSize {
  repositories: number;
  latencyMs: number;
}

/** A flag's whole number within bounds, or an error naming the flag and what it takes. */
function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max)
    throw new Error(`--${flag} takes a whole number from ${min} to ${max}, not "${value}"`);
  return number;
}

/**
 * `--repositories` and `--latency-ms` checked, before anything starts.
 * A data directory kept from an earlier run holds that run's organisation:
 * its size goes on unless `--fresh` makes a new one.
 */
export async function demoSize(
  flags: { repositories?: string | undefined; 'latency-ms'?: string | undefined; fresh: boolean },
  dataDir: string,
): Promise<DemoSize> {
  const asked = {
    repositories:
      flags.repositories === undefined
        ? undefined
        : wholeNumber('repositories', flags.repositories, 1, 1000),
    latencyMs:
      flags['latency-ms'] === undefined
        ? 0
        : wholeNumber('latency-ms', flags['latency-ms'], 0, 60_000),
  };
  const kept = flags.fresh ? undefined : await keptRepositories(dataDir);
  if (kept !== undefined && asked.repositories !== undefined && asked.repositories !== kept)
    throw new Error(
      `the data in ${dataDir} is of a demo organisation of ${kept} repositories; add --fresh to start one of ${asked.repositories}`,
    );
  return { repositories: asked.repositories ?? kept ?? 3, latencyMs: asked.latencyMs };
}

const sizeFile = (dataDir: string) => join(dataDir, 'github-sim', 'demo.json');

async function keptRepositories(dataDir: string): Promise<number | undefined> {
  // Data kept from before the size was remembered is of the three-repository demo.
  if (!existsSync(sizeFile(dataDir))) return existsSync(join(dataDir, 'dynamodb')) ? 3 : undefined;
  return (JSON.parse(await readFile(sizeFile(dataDir), 'utf8')) as { repositories: number })
    .repositories;
}

/** Remembers the organisation's size beside the data, for a restart to go on with it. */
export async function keepDemoSize(dataDir: string, size: DemoSize): Promise<void> {
  await mkdir(join(dataDir, 'github-sim'), { recursive: true });
  await writeFile(sizeFile(dataDir), JSON.stringify({ repositories: size.repositories }));
}

/** The simulated App `npm start` runs as, and where its key is kept (`.data/`, beside the stack's data). */
export const demoApp = { appId: 1001, keyDir: join('.data', 'github-sim') };

/** The GitHub simulator listens on the stack's port + 4. */
export const simulatorPort = (stackPort: number) => stackPort + 4;
