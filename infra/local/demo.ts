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

/** The simulated App `npm start` runs as, and where its key is kept (`.data/`, beside the stack's data). */
export const demoApp = { appId: 1001, keyDir: join('.data', 'github-sim') };

/** The GitHub simulator listens on the stack's port + 4. */
export const simulatorPort = (stackPort: number) => stackPort + 4;
