import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { getInstallation } from '#shared/store/installations.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { updateTeamSettings } from '#shared/store/team-settings.ts';
import { readTeams } from '#shared/store/teams.ts';
import {
  type DemoSize,
  demoApp,
  demoDatasetOf,
  demoSize,
  keepDemoSize,
  simulatorPort,
} from './demo.ts';
import {
  awaitCopilotUsage,
  demoRecipient,
  demoTeamRecipient,
  rollUpAndMail,
  weekSummaryLines,
} from './demo-emails.ts';
import { nudgeNow, setUpDemoNudge } from './demo-nudge.ts';
import { loadOrCreateAppKey } from './github-sim/app-key-file.ts';
import { startGitHubSimulator } from './github-sim/server.ts';
import { startLocalStack } from './local-stack.ts';
import { showSyncProgress } from './progress-bars.ts';
import { startSlackSink } from './slack-sink.ts';

/**
 * `npm start [-- --fresh] [--repositories N] [--latency-ms M]`: Flowmeter on
 * the embedded stack, with the GitHub simulator installing the App on a
 * demo organisation (of N repositories, GitHub answering in M ms), until
 * Ctrl-C. A bad flag stops it before anything starts.
 */
const dataDir = resolve('.data');
const { values, size } = await startOptions();
if (values.fresh) await rm(dataDir, { recursive: true, force: true });
await keepDemoSize(dataDir, size);
const demoDataset = demoDatasetOf(size.repositories);

async function startOptions(): Promise<{ values: { fresh: boolean }; size: DemoSize }> {
  try {
    const { values } = parseArgs({
      options: {
        fresh: { type: 'boolean', default: false },
        repositories: { type: 'string' },
        'latency-ms': { type: 'string' },
      },
    });
    return { values, size: await demoSize(values, dataDir) };
  } catch (error) {
    console.error(`npm start: ${(error as Error).message}
usage: npm start [-- [--fresh] [--repositories 1-1000] [--latency-ms 0-60000]]`);
    process.exit(2);
  }
}

const port = Number(process.env.PORT ?? 3000);
const webhookSecret = process.env.GITHUB_WEBHOOK_SECRET ?? 'flowmeter-local-development-secret';
// The handlers log a JSON line per job; the progress bars say it better here.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { appId } = demoApp;
const app = await loadOrCreateAppKey(resolve(demoApp.keyDir), appId);
const github = await startGitHubSimulator({
  port: simulatorPort(port),
  appId,
  credentials: app,
  dataset: demoDataset,
  // GitHub's time to answer, on every request made with the installation's token.
  ...(size.latencyMs > 0 && { faults: { latencyMs: size.latencyMs } }),
});
const stack = await startLocalStack({
  port,
  webhookSecret,
  dataDir,
  github: {
    url: github.url,
    appId,
    privateKeyPath: app.privateKeyPath,
    oauthClient: github.oauthClient,
  },
});
github.webhooks.configure({ url: stack.webhookUrl, secret: webhookSecret });
// The laptop's Slack, on the stack's port + 5: the demo team's channel.
const slack = await startSlackSink(port + 5);

console.log(`
Flowmeter local stack is up (data in ${dataDir}${values.fresh ? ', started fresh' : ''})
  dashboard         ${stack.url}/  (sign in as ${github.admin.login}, the demo organisation's admin, any member, or octo-collaborator and octo-restricted, who see less)
  webhook URL       POST ${stack.webhookUrl}
  webhook secret    ${webhookSecret}${process.env.GITHUB_WEBHOOK_SECRET ? '' : '  (development default; set GITHUB_WEBHOOK_SECRET to change)'}
  installations     GET  ${stack.url}/api/installations
  sync progress     GET  ${stack.url}/api/installations/${demoDataset.installationId}/repos
  sync queue        ${stack.aws.syncQueueUrl}
  GitHub simulator  ${github.url}  (App ${appId}, key ${app.privateKeyPath})
`);

// The demo organisation installs the App once; a restart on kept data finds it installed.
const installations = (await (await fetch(`${stack.url}/api/installations`)).json()) as {
  installations: { installationId: number }[];
};
const table = { db: createDocumentClient(), tableName: stack.aws.tableName };
const recipient = demoRecipient(demoDataset.organisation);
if (installations.installations.some((i) => i.installationId === demoDataset.installationId)) {
  console.log(`demo installation ${demoDataset.organisation} already recorded`);
} else {
  const delivery = await github.activity.installed();
  console.log(
    `demo installation ${demoDataset.organisation}: GitHub simulator sent installation.created, Flowmeter answered ${delivery.statusCode}`,
  );
  // Recorded now; its emails go to the demo team lead (npm run settings changes that).
  await updateSettings(table, demoDataset.installationId, { recipients: [recipient] });
}
console.log(`\nSyncing ${demoDataset.organisation} from the GitHub simulator:`);
const progress = await showSyncProgress(
  `${stack.url}/api/installations/${demoDataset.installationId}/repos`,
);
const synced = progress.reduce((sum, repo) => sum + repo.completed, 0);
console.log(`\n${synced} pull requests stored by the last sync of each repository.`);

const copilot = await awaitCopilotUsage(table, demoDataset.installationId);
console.log(
  `Copilot usage reports: ${copilot ?? 'still fetching (the rollup goes ahead without them)'}.`,
);
// One request on install, done long before the sync: what it found, or why there are none.
const teamsAccess = (await getInstallation(table, demoDataset.installationId))?.teams?.access;
const directory = await readTeams(table, demoDataset.installationId);
console.log(
  `GitHub teams: ${teamsAccess === 'granted' ? `${directory.teams.filter((t) => !t.deletedAt).length} teams, ${directory.spells.filter((s) => !s.leftAt).length} memberships` : (teamsAccess ?? 'not read yet')}.`,
);

// On a first run (no team has set anything yet) the first team gets a digest of its own.
const firstRun = directory.teams.every((team) => team.settings.settingsVersion === 0);
const demoTeam = firstRun ? directory.teams.find((team) => !team.deletedAt) : undefined;
const teamDigest = demoTeam && {
  teamId: demoTeam.teamId,
  recipient: demoTeamRecipient(demoDataset.organisation, demoTeam.slug),
};
if (teamDigest) {
  await updateTeamSettings(table, demoDataset.installationId, teamDigest.teamId, {
    recipients: [teamDigest.recipient],
  });
  const holder = { installationId: demoDataset.installationId, teamId: teamDigest.teamId };
  await setUpDemoNudge(table, holder, slack);
}

console.log('\nRolling up the weekly metrics and sending the emails (what Monday 06:00 does)...');
const emails = await rollUpAndMail(stack, table, demoDataset.installationId, recipient, teamDigest);
for (const line of await weekSummaryLines(stack.url, demoDataset.installationId, emails.week))
  console.log(line);
console.log("\nSending the demo team's morning nudge of what is waiting (what its 09:00 does)...");
const nudged = await nudgeNow(stack, table, demoDataset.installationId, teamDigest?.recipient);
console.log(
  nudged
    ? `Morning nudge of ${nudged} sent to Slack and by email.`
    : 'Nothing waiting for a team with a nudge: no nudge sent.',
);
const inbox = (await (await fetch(`${stack.aws.sesInboxUrl}/store`)).json()) as {
  emails: { subject: string }[];
};
console.log(`
Weekly metrics    GET  ${stack.url}/api/installations/${demoDataset.installationId}/metrics/weekly?weeks=4
Slack messages    ${slack.url}  (embedded Slack sink, ${slack.messages().length} this run; the same as JSON at /messages)
Emails            ${stack.aws.sesInboxUrl}  (embedded SES inbox, ${inbox.emails.length} this run)
${inbox.emails.map(({ subject }) => `  - ${subject}`).join('\n') || `  (sent in an earlier run; the embedded inbox keeps mail only while it runs)`}
Settings          npm run settings -- --installation ${demoDataset.installationId}, or ${stack.url}/installations/${demoDataset.installationId}/settings signed in as the admin
`);
console.log('Ctrl-C stops; data persists in .data/ (npm start -- --fresh starts clean).');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping`);
    Promise.all([github.stop(), stack.stop(), slack.stop()]).then(() => process.exit(0));
  });
}
