import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateAppKey } from './app-key-file.ts';
import type { CopilotMetricsMode } from './copilot-usage.ts';
import { startGitHubSimulator } from './server.ts';

/**
 * `npm run github-sim -- --port N [--seed S] [--organisations N --organisation-repositories M] [--copilot-metrics MODE]`: the simulator alone, for people
 * exploring the API and for scripts. The App's private key is kept in
 * `.data/github-sim/` so it survives restarts. The last start-up line is one
 * JSON object with everything a client needs.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3100' },
    seed: { type: 'string', default: '1' },
    'pull-requests': { type: 'string', default: '200' },
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string' },
    /** More organisations beside sim-org, each its own installation (4243, 4244, ...). */
    organisations: { type: 'string', default: '0' },
    /** Repositories of each of those organisations, `--pull-requests` PRs each. */
    'organisation-repositories': { type: 'string', default: '3' },
    /** enabled, disabled, not-granted or too-few-users: how the Copilot usage reports answer. */
    'copilot-metrics': { type: 'string', default: 'enabled' },
  },
});
const copilotModes: readonly CopilotMetricsMode[] = [
  'enabled',
  'disabled',
  'not-granted',
  'too-few-users',
];
const copilotMetrics = copilotModes.find((mode) => mode === values['copilot-metrics']);
if (!copilotMetrics) {
  console.error(`--copilot-metrics must be one of ${copilotModes.join(', ')}`);
  process.exit(2);
}
const seed = Number(values.seed);
const port = Number(values.port);
const pullRequests = Number(values['pull-requests']);
const organisations = Number(values.organisations);
const organisationRepositories = Number(values['organisation-repositories']);
for (const [name, value] of [
  ['port', port],
  ['seed', seed],
  ['pull-requests', pullRequests],
  ['organisations', organisations],
  ['organisation-repositories', organisationRepositories],
] as const) {
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer`);
    process.exit(2);
  }
}

const appId = 1001;
const { privateKey, privateKeyPath } = await loadOrCreateAppKey(
  resolve('.data', 'github-sim'),
  appId,
);
const webhookSecret = values['webhook-secret'] ?? randomBytes(20).toString('hex');
const sim = await startGitHubSimulator({
  port,
  appId,
  credentials: { appId, privateKey },
  copilotMetrics,
  dataset: {
    seed,
    installationId: 4242,
    organisation: 'sim-org',
    repositories: [
      { name: 'api', pullRequests },
      { name: 'web', pullRequests: Math.ceil(pullRequests / 2) },
    ],
  },
  organisations: Array.from({ length: organisations }, (_, index) => ({
    seed: seed + index + 1,
    installationId: 4243 + index,
    organisation: `sim-org-${index + 2}`,
    repositories: Array.from({ length: organisationRepositories }, (_, repo) => ({
      name: `repo-${repo + 1}`,
      pullRequests,
    })),
  })),
  ...(values['webhook-url']
    ? { webhook: { url: values['webhook-url'], secret: webhookSecret } }
    : {}),
});
process.once('SIGINT', () => sim.stop().then(() => process.exit(0)));
process.once('SIGTERM', () => sim.stop().then(() => process.exit(0)));
console.log(`GitHub simulator on ${sim.url} (seed ${seed}); Ctrl-C stops.`);
// What each organisation holds, for people exploring: its teams are read with the `members` permission.
for (const { installationId, dataset } of sim.installations.values()) {
  const teams = dataset.teams.list().map((team) => team.slug);
  const people = dataset.members.filter((member) => member.type === 'User').length;
  console.log(
    `  ${dataset.organisation.login} (installation ${installationId}): ${dataset.repositories.length} repositories, ${people} people, teams ${teams.join(', ') || 'none'}`,
  );
}
console.log(
  JSON.stringify({
    url: sim.url,
    appId,
    privateKeyPath,
    installationId: sim.installationId,
    installationIds: [...sim.installations.keys()],
    webhookSecret,
  }),
);
