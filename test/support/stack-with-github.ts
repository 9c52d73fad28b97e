import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadOrCreateAppKey } from '#infra/local/github-sim/app-key-file.ts';
import {
  type GitHubSimulator,
  type GitHubSimulatorOptions,
  startGitHubSimulator,
} from '#infra/local/github-sim/server.ts';
import { keys } from '#shared/store/keys.ts';
import { type StackHarness, testSecret, useLocalStack } from './local-stack.ts';
import { until } from './until.ts';

/**
 * The local stack with its sync worker pointed at a GitHub simulator serving
 * `dataset`, the App key a PEM file on disk as GitHub hands it out, for one
 * test file. With `readsNotifications`, the notifier is stopped so the file
 * can read the notifications queue itself.
 */
export function useStackWithGitHub(
  dataset: GitHubSimulatorOptions['dataset'],
  options: {
    daysBack: number;
    readsNotifications?: boolean;
    /** How the Copilot usage reports answer (a test about syncs may want none of their marks). */
    copilotMetrics?: GitHubSimulatorOptions['copilotMetrics'];
    /** More organisations, each its own installation of the App. */
    organisations?: GitHubSimulatorOptions['organisations'];
    /** What the App may do, where a test needs GitHub to refuse something. */
    appPermissions?: GitHubSimulatorOptions['appPermissions'];
  },
): {
  harness: StackHarness;
  readonly sim: GitHubSimulator;
  /**
   * The simulator installs the App; resolves when every repository's sync is
   * complete and the installation's first Copilot usage fetch and teams
   * reading have finished.
   */
  installAndSync(): Promise<void>;
} {
  let sim: GitHubSimulator | undefined;
  let privateKeyPath = '';
  beforeAll(async () => {
    const app = await loadOrCreateAppKey(await mkdtemp(join(tmpdir(), 'flowmeter-app-')), 1001);
    privateKeyPath = app.privateKeyPath;
    sim = await startGitHubSimulator({
      credentials: app,
      dataset,
      ...(options.copilotMetrics ? { copilotMetrics: options.copilotMetrics } : {}),
      ...(options.organisations ? { organisations: options.organisations } : {}),
      ...(options.appPermissions ? { appPermissions: options.appPermissions } : {}),
    });
  });
  const running = () => {
    if (!sim) throw new Error('GitHub simulator not started');
    return sim;
  };
  const harness = useLocalStack(() => ({
    github: {
      url: running().url,
      appId: running().appId,
      privateKeyPath,
      daysBack: options.daysBack,
      oauthClient: running().oauthClient,
    },
  }));
  if (options.readsNotifications) beforeAll(() => harness.stopPoller('notifier'));
  afterAll(async () => {
    await sim?.stop();
  });
  return {
    harness,
    get sim() {
      return running();
    },
    async installAndSync() {
      const sim = running();
      sim.webhooks.configure({ url: harness.stack.webhookUrl, secret: testSecret });
      await sim.activity.installed();
      await until(async () => {
        const repos = await Promise.all(
          sim.dataset.repositories.map((repo) =>
            harness.get(keys.repository(sim.installationId, repo.id)),
          ),
        );
        const installation = await harness.get(keys.installation(sim.installationId));
        return (
          repos.every((repo) => repo?.syncStatus === 'complete') &&
          Boolean(installation?.copilot) &&
          Boolean(installation?.teams)
        );
      });
    },
  };
}
