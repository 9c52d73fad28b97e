import { beforeAll, describe, expect, it } from 'vitest';
import { reconcileFunction } from '#functions/reconcile/function.ts';
import type { Dataset } from '#infra/local/github-sim/dataset.ts';
import { createAppClient } from '#shared/github/app-client.ts';
import { TeamDirectory } from '#shared/metrics/team-attribution.ts';
import { finishedWeek, shiftWeek } from '#shared/metrics/time-zone.ts';
import type { TeamsJob } from '#shared/queue/teams-job.ts';
import { listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { recordBudget } from '#shared/store/github-budget.ts';
import { keys } from '#shared/store/keys.ts';
import { assumedSince, readTeams, type StoredSpell } from '#shared/store/teams.ts';
import { readTeamsOfInstallation } from '#shared/teams/read-teams.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { storedPullRequests } from '../support/stored-pull-requests.ts';
import { until } from '../support/until.ts';
import { withoutMembers } from '../support/without-members.ts';

/**
 * GitHub teams through the local stack and the simulator: read on install
 * (as the simulator's membership history has them), kept current by the
 * `team`, `membership` and `organization` webhooks, and by the daily
 * reading where a webhook was missed; an installation without the
 * "Members" permission works as before, and says why it has no teams.
 */
const installationId = 818;
const withoutMembersId = 819;
const crowdId = 820;
const github = useStackWithGitHub(
  {
    seed: 818,
    installationId,
    organisation: 'teamwork',
    repositories: [{ name: 'app', pullRequests: 40 }],
    weeks: 12,
  },
  {
    daysBack: 0,
    copilotMetrics: 'disabled',
    organisations: [
      {
        seed: 819,
        installationId: withoutMembersId,
        organisation: 'no-members',
        repositories: [{ name: 'site', pullRequests: 25 }],
        appPermissions: withoutMembers,
      },
      // Working teams of over a hundred people: their members take more than one page.
      { seed: 820, installationId: crowdId, organisation: 'crowd', repositories: [], members: 330 },
    ],
  },
);
const harness = github.harness;

const installationItem = async (id: number) => harness.get(keys.installation(id));
const teamsAccess = async (id: number) =>
  (await installationItem(id))?.teams as
    | { access: string; readAt: string; knownSince?: string; detail?: string }
    | undefined;

/** Installs the App on another organisation of the simulator and waits for its syncs and first teams reading. */
async function install(id: number) {
  const other = github.sim.installations.get(id);
  if (!other) throw new Error(`no installation ${id}`);
  await other.activity.installed();
  await until(async () => {
    const repos = await Promise.all(
      other.dataset.repositories.map((repo) => harness.get(keys.repository(id, repo.id))),
    );
    return repos.every((repo) => repo?.syncStatus === 'complete') && Boolean(await teamsAccess(id));
  });
  return other;
}

/** The second path: teams as the simulator lists them, and its open memberships as a first reading must find them. */
function asFirstRead(dataset: Dataset) {
  const teams = dataset.teams.list().map((team) => ({
    teamId: team.id,
    slug: team.slug,
    name: team.name,
    privacy: team.privacy === 'SECRET' ? 'secret' : 'visible',
    parentTeamId: team.parent?.id ?? null,
    deletedAt: null,
    // A team read from GitHub has set nothing for itself.
    settings: { recipients: [], settingsVersion: 0 },
  }));
  const spells = dataset.teams
    .history()
    .filter((interval) => interval.leftAt === null)
    .map((interval) => ({
      teamId: interval.team.id,
      userId: interval.user.id,
      login: interval.user.login,
      role: interval.role.toLowerCase(),
      joinedAt: assumedSince,
      leftAt: null,
    }));
  return { teams: sortTeams(teams), spells: sortSpells(spells) };
}

const sortTeams = <T extends { teamId: number }>(teams: T[]) =>
  [...teams].sort((a, b) => a.teamId - b.teamId);
const sortSpells = <T extends { teamId: number; userId: number; joinedAt: string }>(spells: T[]) =>
  [...spells].sort(
    (a, b) => a.teamId - b.teamId || a.userId - b.userId || a.joinedAt.localeCompare(b.joinedAt),
  );

async function stored(id = installationId) {
  const { teams, spells } = await readTeams(harness.table, id);
  return { teams: sortTeams(teams), spells: sortSpells(spells) };
}

const spellsOf = (spells: StoredSpell[], teamId: number, userId: number) =>
  spells.filter((spell) => spell.teamId === teamId && spell.userId === userId);

function team(slug: string) {
  const found = github.sim.dataset.teams.bySlug(slug);
  if (!found) throw new Error(`no team ${slug}`);
  return found;
}

/** Immediate members of a team now, its maintainers first out. */
const membersOf = (slug: string) =>
  github.sim.dataset.teams
    .members(team(slug), Date.now(), 'IMMEDIATE')
    .filter((member) => member.role === 'MEMBER')
    .map((member) => member.user);

const notIn = (slug: string) => {
  const inTeam = new Set(
    github.sim.dataset.teams.members(team(slug), Date.now(), 'IMMEDIATE').map((m) => m.user.id),
  );
  return github.sim.dataset.members.filter(
    (person) => person.type === 'User' && !inTeam.has(person.id),
  );
};

beforeAll(async () => {
  await github.installAndSync();
}, 120_000);

describe('GitHub teams', () => {
  it("reads the organisation's teams and their members on install, as the simulator's membership history has them now", async () => {
    expect(await stored()).toEqual(asFirstRead(github.sim.dataset));
    const access = await teamsAccess(installationId);
    expect(access).toMatchObject({ access: 'granted', knownSince: access?.readAt });
  });

  it('reads every team with the spells of one team and those nested in it, or with none, for the pages that need no more', async () => {
    const listed = github.sim.dataset.teams.list();
    const parent = listed.find((candidate) => listed.some((t) => t.parent?.id === candidate.id));
    if (!parent) throw new Error('the demo organisation has no nested team');
    // The subtree from the simulator's parent links: the parent, its children, theirs.
    const under = new Set([parent.id]);
    let size = 0;
    while (size < under.size) {
      size = under.size;
      for (const t of listed) if (t.parent && under.has(t.parent.id)) under.add(t.id);
    }
    expect(under.size).toBeGreaterThan(1);
    const expected = asFirstRead(github.sim.dataset);
    const subtree = await readTeams(harness.table, installationId, {
      teamAndItsChildren: parent.id,
    });
    expect(sortTeams(subtree.teams)).toEqual(expected.teams);
    expect(sortSpells(subtree.spells)).toEqual(
      expected.spells.filter((spell) => under.has(spell.teamId)),
    );
    const none = await readTeams(harness.table, installationId, 'no team');
    expect({ teams: sortTeams(none.teams), spells: none.spells }).toEqual({
      teams: expected.teams,
      spells: [],
    });
  });

  it("pages a team's members past a hundred, within the installation's GitHub budget", async () => {
    const crowd = await install(crowdId);

    expect(
      crowd.dataset.teams
        .list()
        .some(
          (listed) => crowd.dataset.teams.members(listed, Date.now(), 'IMMEDIATE').length > 100,
        ),
    ).toBe(true);
    expect(await stored(crowdId)).toEqual(asFirstRead(crowd.dataset));
    // A first reading gives the history teams: the last 12 finished weeks are rolled up again
    // (the crowd has no repositories, so nothing else marked them).
    const last = finishedWeek(new Date(), 'UTC');
    expect((await listDirtyWeeks(harness.table, crowdId)).map((mark) => mark.week).sort()).toEqual(
      Array.from({ length: 12 }, (_, back) => shiftWeek(last, -back)).sort(),
    );
    // The crowd has no repositories: its budget is the teams reading's alone.
    expect(await harness.get(keys.githubBudget(crowdId))).toMatchObject({
      remaining: expect.any(Number),
    });
  });

  it("waits for the budget's reset when the installation's GitHub budget is down to its reserve, asking GitHub nothing", async () => {
    const resetAt = Date.now() + 2 * 3_600_000;
    await recordBudget(harness.table, crowdId, { remaining: 50, resetAt }, new Date());
    const requests = github.sim.requestLog.length;
    const continued: { job: TeamsJob; delaySeconds: number }[] = [];
    const sim = github.sim;
    const { graphql } = createAppClient({
      appId: sim.appId,
      privateKey: sim.privateKey,
      installationId: crowdId,
      baseUrl: sim.url,
      remainingMs: () => 60_000,
    });

    const outcome = await readTeamsOfInstallation(
      {
        version: 1,
        kind: 'teams',
        idempotencyKey: 'test:budget',
        installationId: crowdId,
        trigger: 'reconcile',
        requestedAt: new Date().toISOString(),
      },
      {
        table: harness.table,
        graphql,
        reserve: 100,
        continueLater: async (job, delaySeconds) => {
          continued.push({ job, delaySeconds });
        },
        now: () => new Date(),
      },
    );

    expect(outcome).toBe('waiting');
    expect(continued).toEqual([
      { job: expect.objectContaining({ trigger: 'continuation' }), delaySeconds: 900 },
    ]);
    expect(github.sim.requestLog.length).toBe(requests);
  });

  it('catches a missed membership webhook with the daily reading, as the reconciliation runs it', async () => {
    const [leaver] = membersOf('product');
    const [joiner] = notIn('product');
    if (!leaver || !joiner) throw new Error('the dataset has no one to move');
    const before = await stored();
    await github.sim.activity.teams.removeMember('product', leaver.login, { webhook: false });
    await github.sim.activity.teams.addMember('product', joiner.login, { webhook: false });
    // No webhook: nothing changed yet.
    expect(await stored()).toEqual(before);
    const readBefore = (await teamsAccess(installationId))?.readAt ?? '';

    await harness.stack.runScheduleNow(reconcileFunction);
    await until(async () => ((await teamsAccess(installationId))?.readAt ?? '') > readBefore);

    const after = await stored();
    const readAt = (await teamsAccess(installationId))?.readAt;
    const product = team('product').id;
    expect(spellsOf(after.spells, product, leaver.id)).toEqual([
      expect.objectContaining({ joinedAt: assumedSince, leftAt: readAt }),
    ]);
    expect(spellsOf(after.spells, product, joiner.id)).toEqual([
      expect.objectContaining({ joinedAt: readAt, leftAt: null, role: 'member' }),
    ]);
    // Every other spell as it was.
    const untouched = (spells: StoredSpell[]) =>
      spells.filter((s) => s.teamId !== product || ![leaver.id, joiner.id].includes(s.userId));
    expect(untouched(after.spells)).toEqual(untouched(before.spells));
  });

  it('follows a move between teams from its webhooks: one spell ends, another opens, the past keeps its dates and its figures', async () => {
    const outside = new Set(notIn('product').map((person) => person.id));
    const mover = membersOf('platform').find((person) => outside.has(person.id));
    if (!mover) throw new Error('platform has no member to move');
    const [platform, product] = [team('platform').id, team('product').id];
    const before = await stored();
    const movedFrom = Date.now();

    const deliveries = await github.sim.activity.teams.move(mover.login, 'platform', 'product');

    expect(deliveries.map((delivery) => delivery.statusCode)).toEqual([200, 200]);
    const after = await stored();
    const [earlier] = spellsOf(before.spells, platform, mover.id);
    const [ended] = spellsOf(after.spells, platform, mover.id);
    const [opened] = spellsOf(after.spells, product, mover.id);
    expect(ended).toEqual({ ...earlier, leftAt: expect.any(String) });
    expect(Date.parse(ended?.leftAt ?? '')).toBeGreaterThanOrEqual(movedFrom);
    expect(opened).toMatchObject({ joinedAt: expect.any(String), leftAt: null });
    expect(Date.parse(opened?.joinedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(ended?.leftAt ?? ''),
    );
    const then = new TeamDirectory(before.teams, before.spells);
    const now = new TeamDirectory(after.teams, after.spells);
    expect(now.teamsOf(mover.id, new Date(movedFrom - 60_000).toISOString())).toContain(platform);
    expect(now.teamsOf(mover.id, new Date(Date.now() + 1000).toISOString())).toEqual(
      expect.arrayContaining([product]),
    );
    expect(now.teamsOf(mover.id, new Date(Date.now() + 1000).toISOString())).not.toContain(
      platform,
    );
    // Every pull request synced before the move counts for the teams it counted for.
    const repository = github.sim.dataset.repositories[0];
    if (!repository) throw new Error('no repository');
    const pullRequests = await storedPullRequests(harness.table, installationId, repository.id);
    expect(pullRequests.length).toBeGreaterThan(0);
    for (const pr of pullRequests) {
      const at = pr.mergedAt ?? pr.createdAt;
      expect(now.teamsOf(pr.authorId, at), `#${pr.number}`).toEqual(then.teamsOf(pr.authorId, at));
    }
  });

  it('changes nothing when a membership webhook comes again, redelivered or sent twice', async () => {
    const [person] = notIn('security');
    if (!person) throw new Error('everyone is in security');
    const memberKey = keys.teamMember(installationId, team('security').id, person.id);
    const [added] = await github.sim.activity.teams.addMember('security', person.login);
    if (!added) throw new Error('no delivery');
    const afterAdded = await harness.get(memberKey);
    expect(afterAdded).toMatchObject({ openSince: expect.any(String), past: [] });

    expect((await github.sim.webhooks.redeliver(added.id))?.statusCode).toBe(200);
    const again = await harness.send('membership', JSON.parse(added.body));
    expect(again.body).toMatchObject({
      outcome: 'processed',
      detail: expect.stringMatching(/a member already/),
    });
    expect(await harness.get(memberKey)).toEqual(afterAdded);

    const [removed] = await github.sim.activity.teams.removeMember('security', person.login);
    if (!removed) throw new Error('no delivery');
    const afterRemoved = await harness.get(memberKey);
    expect(afterRemoved?.past).toHaveLength(1);
    await github.sim.webhooks.redeliver(removed.id);
    await harness.send('membership', JSON.parse(removed.body));
    expect(await harness.get(memberKey)).toEqual(afterRemoved);
  });

  it('records a new team, a new parent that the edit does not name, and keeps a deleted team with its spells ended', async () => {
    const [person] = membersOf('product');
    if (!person) throw new Error('product has no member');
    await github.sim.activity.teams.createTeam({ name: 'Mobile', parent: 'product' });
    const mobile = team('mobile').id;
    await github.sim.activity.teams.editTeam('mobile', { parent: 'platform' });
    await github.sim.activity.teams.addMember('mobile', person.login);

    const edited = await stored();
    expect(edited.teams.find((t) => t.teamId === mobile)).toEqual({
      teamId: mobile,
      slug: 'mobile',
      name: 'Mobile',
      privacy: 'visible',
      parentTeamId: team('platform').id,
      deletedAt: null,
      settings: { recipients: [], settingsVersion: 0 },
    });

    await github.sim.activity.teams.deleteTeam('mobile');

    const deleted = await stored();
    expect(deleted.teams.find((t) => t.teamId === mobile)?.deletedAt).toEqual(expect.any(String));
    expect(spellsOf(deleted.spells, mobile, person.id)).toEqual([
      expect.objectContaining({ leftAt: expect.any(String) }),
    ]);
  });

  it('ends every spell of a person who leaves the organisation', async () => {
    const [leaver] = membersOf('product');
    if (!leaver) throw new Error('product has no member');
    expect((await stored()).spells.some((s) => s.userId === leaver.id && !s.leftAt)).toBe(true);

    await github.sim.activity.teams.leaveOrganisation(leaver.login);

    const open = (await stored()).spells.filter((s) => s.userId === leaver.id && !s.leftAt);
    expect(open).toEqual([]);
  });

  it('syncs an installation without the Members permission as before, and records why it has no teams', async () => {
    const other = await install(withoutMembersId);

    expect(await teamsAccess(withoutMembersId)).toMatchObject({
      access: 'not-granted',
      detail: 'Resource not accessible by integration',
    });
    expect(await teamsAccess(withoutMembersId)).not.toHaveProperty('knownSince');
    expect(await readTeams(harness.table, withoutMembersId)).toEqual({ teams: [], spells: [] });
    for (const repository of other.dataset.repositories) {
      expect(await harness.get(keys.repository(withoutMembersId, repository.id))).toMatchObject({
        syncStatus: 'complete',
      });
      expect(await storedPullRequests(harness.table, withoutMembersId, repository.id)).toHaveLength(
        repository.pullRequestCount,
      );
    }
  });

  it('reads the teams again once the owners accept new permissions', async () => {
    const readBefore = (await teamsAccess(withoutMembersId))?.readAt ?? '';
    const other = github.sim.installations.get(withoutMembersId);
    const installation = { id: withoutMembersId, account: other?.dataset.organisation };

    const sent = await harness.send('installation', {
      action: 'new_permissions_accepted',
      installation,
    });

    expect(sent.status).toBe(200);
    await until(async () => ((await teamsAccess(withoutMembersId))?.readAt ?? '') > readBefore);
  });

  it('records that a user account has no teams, asking GitHub nothing', async () => {
    const solo = 821;
    await harness.send('installation', {
      action: 'created',
      installation: { id: solo, account: { id: 9821, login: 'solo', type: 'User' } },
      repositories: [],
    });

    await until(async () => Boolean(await teamsAccess(solo)));
    expect(await teamsAccess(solo)).toMatchObject({ access: 'user-account' });
    expect(github.sim.requestLog.filter((entry) => entry.installationId === solo)).toEqual([]);
  });
});
