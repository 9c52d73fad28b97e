import { describe, expect, it } from 'vitest';
import { Dataset, exportDataset } from '#infra/local/github-sim/dataset.ts';
import type { SimTeam, TeamMembershipType } from '#infra/local/github-sim/teams.ts';

const now = new Date('2026-11-02T12:00:00Z');
const week = 7 * 86_400_000;
const start = now.getTime() - 26 * week;
const options = {
  seed: 42,
  installationId: 1,
  organisation: 'acme',
  repositories: [{ name: 'r', pullRequests: 10 }],
  now,
};

function team(dataset: Dataset, slug: string): SimTeam {
  const found = dataset.teams.bySlug(slug);
  if (!found) throw new Error(`no team ${slug}`);
  return found;
}

/** Logins of a team's members at an instant. */
function logins(
  dataset: Dataset,
  slug: string,
  at: number,
  membership: TeamMembershipType = 'ALL',
) {
  return dataset.teams.members(team(dataset, slug), at, membership).map((m) => m.user.login);
}

describe("the GitHub simulator's teams", () => {
  it('are the same for the same seed, history included, and different for another', () => {
    // Who is where, by each person's place among the members (their logins come from the seed too).
    const teamsOf = (seed: number) => {
      const { members, teams, teamMemberships } = exportDataset(new Dataset({ ...options, seed }));
      const place = (id: number) => members.findIndex((member) => member.id === id);
      return JSON.stringify({
        teams,
        teamMemberships: teamMemberships.map(({ user, ...interval }) => ({
          ...interval,
          user: place(user.id),
        })),
      });
    };

    expect(teamsOf(42)).toBe(teamsOf(42));
    expect(teamsOf(42)).not.toBe(teamsOf(43));
  });

  it('give the demo-size organisation a nested team, a secret one and people in two teams, bots in none', () => {
    const dataset = new Dataset(options);
    const teams = dataset.teams.list();
    const people = dataset.members.filter((member) => member.type === 'User');
    const current = (user: (typeof people)[number]) =>
      teams.filter((t) =>
        dataset.teams.members(t, now.getTime(), 'IMMEDIATE').some((m) => m.user === user),
      );

    expect(teams.map((t) => [t.slug, t.privacy, t.parent?.slug ?? null])).toEqual([
      ['platform', 'VISIBLE', null],
      ['platform-infra', 'VISIBLE', 'platform'],
      ['product', 'VISIBLE', null],
      ['security', 'SECRET', null],
    ]);
    expect(people.every((person) => current(person).length >= 1)).toBe(true);
    expect(people.filter((person) => current(person).length === 2).length).toBeGreaterThan(0);
    expect(dataset.teams.history().some((interval) => interval.user.type !== 'User')).toBe(false);
    // Every team has a maintainer.
    expect(
      teams.every((t) =>
        dataset.teams.members(t, now.getTime(), 'IMMEDIATE').some((m) => m.role === 'MAINTAINER'),
      ),
    ).toBe(true);
  });

  it('move one person from product to platform-infra half way, leaving and joining at one instant', () => {
    const dataset = new Dataset(options);
    const history = dataset.teams.history();
    const left = history.filter((interval) => interval.leftAt !== null);
    const [moved] = left;
    const joined = history.find(
      (interval) => interval.user === moved?.user && interval.team.slug === 'platform-infra',
    );

    expect(left.map((interval) => interval.team.slug)).toEqual(['product']);
    expect(joined?.joinedAt).toEqual(moved?.leftAt);
    const at = moved?.leftAt?.getTime() ?? 0;
    expect(at).toBeGreaterThanOrEqual(start + 13 * week);
    expect(at).toBeLessThan(start + 13 * week + 86_400_000);
    const login = moved?.user.login;
    expect(logins(dataset, 'product', at - 1)).toContain(login);
    expect(logins(dataset, 'product', at)).not.toContain(login);
    expect(logins(dataset, 'platform-infra', at - 1)).not.toContain(login);
    expect(logins(dataset, 'platform-infra', at)).toContain(login);
  });

  it("count a child team's members in its parent's, as inherited members", () => {
    const dataset = new Dataset(options);
    const platform = team(dataset, 'platform');
    const at = now.getTime();
    const all = dataset.teams.members(platform, at, 'ALL');

    expect(all.filter((m) => !m.inherited).map((m) => m.user.login)).toEqual(
      logins(dataset, 'platform', at, 'IMMEDIATE'),
    );
    expect(all.filter((m) => m.inherited).map((m) => m.user.login)).toEqual(
      dataset.teams
        .members(platform, at, 'CHILD_TEAM')
        .filter((m) => !logins(dataset, 'platform', at, 'IMMEDIATE').includes(m.user.login))
        .map((m) => m.user.login),
    );
    expect(all.filter((m) => m.inherited).every((m) => m.role === 'MEMBER')).toBe(true);
    expect(all.filter((m) => m.inherited).length).toBe(
      logins(dataset, 'platform-infra', at).length,
    );
  });

  it('are sized by the organisation: none under three people, no nesting under six', () => {
    const slugs = (members: number) =>
      new Dataset({ ...options, members }).teams.list().map((t) => t.slug);

    expect(slugs(2)).toEqual([]);
    expect(slugs(3)).toEqual(['platform', 'product', 'security']);
    expect(slugs(5)).toEqual(['platform', 'product', 'security']);
    expect(slugs(6)).toEqual(['platform', 'platform-infra', 'product', 'security']);
    expect(slugs(40)).toEqual(['platform', 'platform-infra', 'product', 'security']);
    for (const members of [3, 4, 5, 6, 7, 40]) {
      const history = new Dataset({ ...options, members }).teams.history();
      expect(history.filter((interval) => interval.leftAt).length).toBe(1);
    }
  });

  it('can instead be sized: 100 teams of 20 over 1,800 people, 200 of them in two, every tenth team nested', () => {
    const dataset = new Dataset({ ...options, members: 1800, teams: { count: 100, size: 20 } });
    const teams = dataset.teams.list();
    const at = now.getTime();
    const inTeams = new Map<number, number>();
    for (const t of teams)
      for (const { user } of dataset.teams.members(t, at, 'IMMEDIATE'))
        inTeams.set(user.id, (inTeams.get(user.id) ?? 0) + 1);

    expect(teams.map((t) => t.slug).slice(0, 3)).toEqual(['team-001', 'team-002', 'team-003']);
    expect(teams.every((t) => dataset.teams.members(t, at, 'IMMEDIATE').length === 20)).toBe(true);
    expect(teams.filter((t) => t.parent)).toHaveLength(10);
    expect(team(dataset, 'team-010').parent?.slug).toBe('team-009');
    expect(dataset.teams.members(team(dataset, 'team-009'), at, 'ALL')).toHaveLength(40);
    expect(inTeams.size).toBe(1800);
    expect([...inTeams.values()].filter((n) => n === 2)).toHaveLength(200);
    expect(dataset.teams.history().every((interval) => interval.leftAt === null)).toBe(true);
    expect(
      teams.every((t) =>
        dataset.teams.members(t, at, 'IMMEDIATE').some((m) => m.role === 'MAINTAINER'),
      ),
    ).toBe(true);
    // The rest of the dataset is what it was without sized teams.
    expect(dataset.members).toEqual(new Dataset({ ...options, members: 1800 }).members);
  });

  it('refuse teams larger than the organisation', () => {
    expect(() => new Dataset({ ...options, members: 5, teams: { count: 2, size: 6 } })).toThrow(
      'teams of 6 need as many people',
    );
  });

  it('share no team id between organisations of one simulator', () => {
    const ids = (first: number) =>
      new Dataset({ ...options, idsFrom: { repositories: 0, members: first } }).teams
        .list()
        .map((t) => t.id);

    expect(ids(20_000).some((id) => ids(21_000).includes(id))).toBe(false);
  });

  it("rename a team's slug with its name, and refuse to nest a secret team as GitHub does", () => {
    const dataset = new Dataset(options);
    const at = new Date(now.getTime() + 1000);

    dataset.teams.edit(team(dataset, 'product'), { name: 'Product Web' }, at);

    expect(dataset.teams.bySlug('product')).toBeUndefined();
    expect(team(dataset, 'product-web').name).toBe('Product Web');
    expect(() =>
      dataset.teams.edit(team(dataset, 'security'), { parent: team(dataset, 'platform') }, at),
    ).toThrow(/secret/);
    expect(() =>
      dataset.teams.edit(
        team(dataset, 'platform'),
        { parent: team(dataset, 'platform-infra') },
        at,
      ),
    ).toThrow(/cannot be the parent/);
  });

  it('delete a parent with its children, ending their memberships but keeping their history', () => {
    const dataset = new Dataset(options);
    const at = new Date(now.getTime() + 1000);
    const before = logins(dataset, 'platform-infra', at.getTime() - 1);

    const deleted = dataset.teams.delete(team(dataset, 'platform'), at);

    expect(deleted.map((t) => t.slug)).toEqual(['platform-infra', 'platform']);
    expect(dataset.teams.list().map((t) => t.slug)).toEqual(['product', 'security']);
    const ended = dataset.teams
      .history()
      .filter((interval) => interval.team.slug === 'platform-infra');
    expect(ended.map((interval) => interval.user.login).sort()).toEqual(
      expect.arrayContaining(before),
    );
    expect(ended.every((interval) => interval.leftAt !== null)).toBe(true);
  });

  it('take a person who leaves the organisation out of every team', () => {
    const dataset = new Dataset(options);
    const at = new Date(now.getTime() + 1000);
    const inTwo = dataset.members.find(
      (user) =>
        dataset.teams
          .list()
          .filter((t) =>
            dataset.teams.members(t, now.getTime(), 'IMMEDIATE').some((m) => m.user === user),
          ).length === 2,
    );
    if (!inTwo) throw new Error('nobody in two teams');

    dataset.teams.farewell(inTwo, at);

    const open = dataset.teams
      .history()
      .filter((interval) => interval.user === inTwo && interval.leftAt === null);
    expect(open).toEqual([]);
    expect(() => dataset.teams.join(team(dataset, 'product'), inTwo, 'MEMBER', at)).toThrow(
      /not in the organisation/,
    );
  });
});
