import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { GitHubSimulator } from '#infra/local/github-sim/server.ts';
import { type AppClientOptions, createAppClient } from '#shared/github/app-client.ts';

export interface SimOctokitOptions {
  /** An Octokit class with plugins (throttling, retry). @default Octokit */
  Client?: typeof Octokit;
  /** Sign JWTs with another key than the App's. */
  privateKey?: string;
  /** Authenticate as the App itself (JWT) instead of as its installation. */
  asApp?: boolean;
  /** Which installation to act as. @default the first organisation's */
  installationId?: number;
  /** Further constructor options (throttle, retry, request). */
  options?: Record<string, unknown>;
}

/** Octokit authenticated against the simulator exactly as the sync worker authenticates against GitHub. */
export function simOctokit(sim: GitHubSimulator, settings: SimOctokitOptions = {}): Octokit {
  const Client = settings.Client ?? Octokit;
  return new Client({
    baseUrl: sim.url,
    authStrategy: createAppAuth,
    auth: {
      appId: sim.appId,
      privateKey: settings.privateKey ?? sim.privateKey,
      ...(settings.asApp ? {} : { installationId: settings.installationId ?? sim.installationId }),
    },
    ...settings.options,
  });
}

/** Flowmeter's own GitHub client as an installation of the simulator, built as the workers build theirs. */
export function simAppClient(
  sim: GitHubSimulator,
  installationId = sim.installationId,
  options: Partial<AppClientOptions> = {},
) {
  return createAppClient({
    appId: sim.appId,
    privateKey: sim.privateKey,
    installationId,
    baseUrl: sim.url,
    remainingMs: () => 60_000,
    ...options,
  });
}
