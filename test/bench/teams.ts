import { performance } from 'node:perf_hooks';
import { reconcileFunction } from '#functions/reconcile/function.ts';
import { startStackWithSimulator } from '#infra/local/stack-with-simulator.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { getInstallation } from '#shared/store/installations.ts';
import { readTeams } from '#shared/store/teams.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { until } from '../support/until.ts';
import { type Figure, report } from './report.ts';

/**
 * Benchmark, part 12: an organisation's GitHub teams read by the teams
 * function through the local stack's teams queue — 100 teams of 20 people
 * over 1,800 people (200 of them in two teams, every tenth team nested: the
 * simulator's sized teams) — on install and by the daily reading, and what
 * GitHub was asked for it as the simulator counted it: requests, and the
 * GraphQL points it charged. Then REST instead, for comparison.
 */
const installationId = 2626;
const organisation = 'bench-teams';
const sizes = { count: 100, size: 20 };
const people = 1800;
const { sim, stack, install, stop } = await startStackWithSimulator({
  dataset: {
    seed: 2626,
    installationId,
    organisation,
    // Nothing else asks GitHub's GraphQL: no repository to sync, Copilot's reports refused.
    repositories: [],
    members: people,
    teams: sizes,
  },
  copilotMetrics: 'disabled',
});
const table = { db: createDocumentClient(), tableName: stack.aws.tableName };
const readAt = async () => (await getInstallation(table, installationId))?.teams?.readAt ?? '';

/** Starts a reading and waits for it to be stored: what GitHub was asked meanwhile, and how long it took. */
async function reading(name: string, start: () => Promise<unknown>): Promise<Figure> {
  const before = await readAt();
  const from = sim.requestLog.length;
  const started = performance.now();
  await start();
  await until(async () => (await readAt()) > before, 120_000, 50);
  const seconds = (performance.now() - started) / 1000;
  const asked = sim.requestLog
    .slice(from)
    .filter((entry) => entry.installationId === installationId);
  const graphql = asked.filter((entry) => entry.route === 'POST /graphql');
  const rest = asked.filter((entry) => entry.route.includes('/teams'));
  if (rest.length > 0) throw new Error(`the reading asked REST: ${rest[0]?.route}`);
  const points = graphql.reduce((sum, entry) => sum + (entry.graphqlCost ?? 0), 0);
  return {
    name,
    measured: `${graphql.length} GraphQL request(s), ${points} point(s); stored in ${seconds.toFixed(1)} s`,
    target: 'at most 1 request and 1 point (one request reads 100 teams of up to 100)',
    met: graphql.length <= 1 && points <= 1,
  };
}

const shape = `${sizes.count} teams × ${sizes.size} people`;
const first = await reading(`first reading, on install: ${shape}`, install);
const { teams, spells } = await readTeams(table, installationId);
const open = spells.filter((spell) => spell.leftAt === null).length;
if (teams.length !== sizes.count || open !== sizes.count * sizes.size)
  throw new Error(`stored ${teams.length} teams and ${open} open memberships`);
const daily = await reading(`daily reading, nothing changed: ${shape}`, () =>
  stack.runScheduleNow(reconcileFunction),
);

const octokit = simOctokit(sim, { installationId });
const restStart = sim.requestLog.length;
const listed = await octokit.paginate('GET /orgs/{org}/teams', {
  org: organisation,
  per_page: 100,
});
for (const team of listed)
  await octokit.paginate('GET /orgs/{org}/teams/{team_slug}/members', {
    org: organisation,
    team_slug: team.slug,
    per_page: 100,
  });
// The token Octokit asks for first is not a request of the reading.
const restRequests = sim.requestLog
  .slice(restStart)
  .filter((entry) => entry.route.startsWith('GET')).length;
await stop();

report(import.meta.url, `Teams: an organisation of ${shape} read through the teams queue`, [
  first,
  daily,
  {
    name: "REST instead: the teams, then each team's members (their roles would take a request per member more)",
    measured: `${restRequests} requests`,
  },
]);
