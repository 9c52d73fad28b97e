import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import manifest from '#infra/github-app-manifest.json' with { type: 'json' };
import { awaitCopilotUsage } from '#infra/local/demo-emails.ts';
import { startStackWithSimulator, syncsComplete } from '#infra/local/stack-with-simulator.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { getInstallation } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { dashboardCookie } from '../support/dashboard-sign-in.ts';
import { settled } from '../support/settled.ts';
import { until } from '../support/until.ts';
import { bytesFigure, firstVisit } from './first-visit.ts';
import { latencyFigure, measure } from './measure.ts';
import { report } from './report.ts';

/**
 * Benchmark, part 6: the dashboard's installation page with 26 weeks of
 * history (two repositories, 1,500 pull requests), signed in as a member
 * the way a browser is (the simulator's OAuth pages, cookies by hand):
 * server time per request over 100 requests one after another, the same
 * with GitHub asked who the person may see at every request (what a
 * session pays once a minute: the issue #24 repository check), and the
 * bytes a first visit transfers (page, style sheet, script; the charts are
 * inline SVG). Then the same of a GitHub team's page: `platform`, which
 * holds a child team.
 */
const installationId = 7070;
const manyTeamsId = 7071;
const { organization_copilot_metrics: _copilot, ...withoutCopilot } = manifest.default_permissions;
const { sim, stack, install, stop } = await startStackWithSimulator(
  {
    dataset: {
      seed: 7070,
      installationId,
      organisation: 'viewers',
      repositories: [
        { name: 'api', pullRequests: 1000 },
        { name: 'web', pullRequests: 500 },
      ],
    },
    organisations: [
      {
        seed: 7071,
        installationId: manyTeamsId,
        organisation: 'many-teams',
        repositories: [{ name: 'monolith', pullRequests: 1500 }],
        members: 1800,
        teams: { count: 100, size: 20 },
        // Its 1,800 people's Copilot days are not what its pages are measured for.
        appPermissions: withoutCopilot,
      },
    ],
  },
  { daysBack: 0 },
);
await install();
await sim.installations.get(manyTeamsId)?.activity.installed();
const table = { db: createDocumentClient(), tableName: stack.aws.tableName };
for (const id of [installationId, manyTeamsId]) {
  await syncsComplete(stack, id);
  // The first Copilot usage fetch runs in this process too: measured after it, not beside it.
  await awaitCopilotUsage(table, id);
  // The teams are read on install; the rollup attributes the weeks to them once they are.
  await until(async () => Boolean((await getInstallation(table, id))?.teams), 180_000).catch(() => {
    throw new Error(`installation ${id}: no teams reading recorded within 3 minutes`);
  });
}
await stack.rollUpNow();
// Measured once both installations' rollups (and all else) are done, not beside them.
await settled(stack);

const member = sim.dataset.members[2];
if (!member) throw new Error('the dataset has no third member');
const cookie = await dashboardCookie(stack.url, sim, member);
const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { cookie } });
const installationPath = `/installations/${installationId}`;
const page = await firstVisit(get, installationPath, 'Cycle time by phase');
const timing = await measure(
  'GET /installations/{id}',
  100,
  async () => (await get(installationPath)).status,
);

/** A team's page, signed in as its first member: timed as the installation page, and weighed. */
async function teamPage(id: number, slug: string, organisation: string) {
  const { dataset } = sim.installations.get(id) ?? {};
  const team = dataset?.teams.bySlug(slug);
  const [first] = team ? (dataset?.teams.members(team, Date.now(), 'IMMEDIATE') ?? []) : [];
  if (!team || !first) throw new Error(`no team ${slug} with a member in installation ${id}`);
  const teamCookie = await dashboardCookie(stack.url, sim, first.user);
  const getTeam = (path: string) =>
    fetch(`${stack.url}${path}`, { headers: { cookie: teamCookie } });
  const path = `/installations/${id}/teams/${team.id}`;
  const visit = await firstVisit(getTeam, path, 'Cycle time by phase');
  const timing = await measure(path, 100, async () => (await getTeam(path)).status);
  return [
    latencyFigure(
      `GET /installations/{id}/teams/{teamId} of ${organisation} (${team.name}, with a child team), 100 one after another`,
      timing,
      { target: 'p50 under 100 ms', met: timing.p50 < 100 },
    ),
    bytesFigure(`bytes a first visit of ${team.name}'s page transfers, uncompressed`, visit),
  ];
}

// The same page with GitHub's lists a minute old, so each request asks GitHub again who the
// person is allowed to see: the installations, the installation's repositories, their role.
const { db } = table;
let sessionId: string | undefined;
for (let start: Record<string, unknown> | undefined; !sessionId; ) {
  const page = await db.send(
    new ScanCommand({
      TableName: stack.aws.tableName,
      FilterExpression: 'login = :login AND attribute_exists(sealedTokens)',
      ExpressionAttributeValues: { ':login': member.login },
      ExclusiveStartKey: start,
    }),
  );
  sessionId = page.Items?.[0]?.sessionId as string | undefined;
  start = page.LastEvaluatedKey;
  if (!start && !sessionId) throw new Error('no session item for the signed-in member');
}
const forget = () =>
  db.send(
    new UpdateCommand({
      TableName: stack.aws.tableName,
      Key: keys.session(sessionId as string),
      UpdateExpression: 'REMOVE visible SET #access = :none',
      ExpressionAttributeNames: { '#access': 'access' },
      ExpressionAttributeValues: { ':none': {} },
    }),
  );
const asked = sim.requestLog.length;
const checking = await measure('GET /installations/{id}, GitHub asked again', 50, async () => {
  await forget();
  return (await get(`/installations/${installationId}`)).status;
});
const personRequests = sim.requestLog
  .slice(asked)
  .filter((entry) => entry.route.includes('/user')).length;
// Signed in afresh, as each team's member: after the member's session above is done with.
const teamPages = [
  ...(await teamPage(installationId, 'platform', 'the same installation')),
  ...(await teamPage(manyTeamsId, 'team-009', '100 teams × 20 (1,800 people, 1,500 PRs)')),
];
await stop();
report(import.meta.url, 'Dashboard: the installation page, 26 weeks of history, signed in', [
  latencyFigure('GET /installations/{id}, 100 one after another', timing, {
    target: 'p50 under 100 ms',
    met: timing.p50 < 100,
  }),
  latencyFigure(
    `the same, GitHub asked who sees what each time (${personRequests / 50} requests to GitHub a page; a session asks once a minute)`,
    checking,
    { target: 'p50 under 100 ms', met: checking.p50 < 100 },
  ),
  bytesFigure('bytes a first visit transfers, uncompressed', page),
  ...teamPages,
]);
