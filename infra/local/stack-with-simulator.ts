import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateAppKey } from './github-sim/app-key-file.ts';
import {
  type GitHubSimulator,
  type GitHubSimulatorOptions,
  startGitHubSimulator,
} from './github-sim/server.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './local-stack.ts';

/**
 * A GitHub simulator and the local stack syncing from it, in a temporary
 * folder, the App installed by the simulator's webhook when asked: what the
 * benchmarks and `npm run screenshots` start from.
 */
export async function startStackWithSimulator(
  simulator: Omit<GitHubSimulatorOptions, 'credentials'>,
  options: { daysBack?: number } & Pick<LocalStackOptions, 'syncWorkers' | 'meter'> = {},
): Promise<{
  sim: GitHubSimulator;
  stack: LocalStack;
  install(): Promise<void>;
  /** Stops the stack (its workers may still be asking the simulator), the simulator, and deletes the data. */
  stop(): Promise<void>;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), 'flowmeter-'));
  const app = await loadOrCreateAppKey(dataDir, 1001);
  const sim = await startGitHubSimulator({ ...simulator, credentials: app });
  const webhookSecret = 'local-run';
  const stack = await startLocalStack({
    port: 0,
    webhookSecret,
    dataDir,
    ...(options.syncWorkers === undefined ? {} : { syncWorkers: options.syncWorkers }),
    meter: options.meter,
    github: {
      url: sim.url,
      appId: sim.appId,
      privateKeyPath: app.privateKeyPath,
      oauthClient: sim.oauthClient,
      ...(options.daysBack === undefined ? {} : { daysBack: options.daysBack }),
    },
  });
  sim.webhooks.configure({ url: stack.webhookUrl, secret: webhookSecret });
  return {
    sim,
    stack,
    async install() {
      await sim.activity.installed();
    },
    async stop() {
      await stack.stop();
      await sim.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether every repository of the installation has finished its sync, as the status API says now. */
export async function syncComplete(stack: LocalStack, installationId: number): Promise<boolean> {
  const response = await fetch(`${stack.url}/api/installations/${installationId}/repos`);
  if (!response.ok) return false;
  const { repositories } = (await response.json()) as { repositories: { status: string }[] };
  return repositories.length > 0 && repositories.every((repo) => repo.status === 'complete');
}

/** Resolves once every repository of the installation has finished its sync. */
export async function syncsComplete(stack: LocalStack, installationId: number): Promise<void> {
  while (!(await syncComplete(stack, installationId))) {
    await new Promise((done) => setTimeout(done, 500));
  }
}
