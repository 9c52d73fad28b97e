import { describe, expect, it } from 'vitest';
import type { TeamReading } from '#shared/github/organisation-teams.ts';
import type { TeamRecord } from '#shared/metrics/team-attribution.ts';
import { assumedSince, type StoredSpell, type StoredTeam } from '#shared/store/teams.ts';
import { compareReading } from '#shared/teams/compare-reading.ts';

// Platform (1) holds Infra (2); Web (3) stands alone.
const platform: TeamRecord = {
  teamId: 1,
  slug: 'platform',
  name: 'Platform',
  privacy: 'visible',
  parentTeamId: null,
};
const infra: TeamRecord = { ...platform, teamId: 2, slug: 'infra', name: 'Infra', parentTeamId: 1 };
const web: TeamRecord = { ...platform, teamId: 3, slug: 'web', name: 'Web' };
const stored = (...teams: TeamRecord[]): Omit<StoredTeam, 'settings'>[] =>
  teams.map((team) => ({ ...team, deletedAt: null }));

const ada = { userId: 10, login: 'ada', role: 'maintainer' } as const;
const bo = { userId: 11, login: 'bo', role: 'member' } as const;
const january = '2026-01-05T09:00:00.000Z';
const march = '2026-03-02T09:00:00.000Z';
const readAt = '2026-05-04T06:00:00.000Z';

const spell = (
  teamId: number,
  person: typeof ada | typeof bo,
  joinedAt: string,
  leftAt: string | null = null,
): StoredSpell => ({ teamId, ...person, joinedAt, leftAt });

const read = (team: TeamRecord, ...members: TeamReading['members']): TeamReading => ({
  ...team,
  members,
});

describe('comparing a reading of GitHub teams with what is stored', () => {
  it('records every team and opens every spell from the assumed start on the first reading', () => {
    const changes = compareReading(
      { teams: [], spells: [] },
      [read(platform, ada), read(infra, bo)],
      { at: readAt, initial: true },
    );

    expect(changes.recorded).toEqual([platform, infra]);
    expect(changes.opened).toEqual([
      { teamId: 1, ...ada, joinedAt: assumedSince },
      { teamId: 2, ...bo, joinedAt: assumedSince },
    ]);
    expect([changes.closed, changes.deleted, changes.refreshed]).toEqual([[], [], []]);
  });

  it('changes nothing when GitHub shows what is stored', () => {
    const changes = compareReading(
      { teams: stored(platform, infra), spells: [spell(1, ada, january), spell(2, bo, march)] },
      [read(platform, ada), read(infra, bo)],
      { at: readAt, initial: false },
    );

    expect(changes).toEqual({ recorded: [], deleted: [], opened: [], closed: [], refreshed: [] });
  });

  it("opens a spell at the reading's time for a missed added, and ends one for a missed removed", () => {
    const changes = compareReading(
      { teams: stored(platform, infra), spells: [spell(1, ada, january), spell(2, bo, march)] },
      [read(platform, ada, bo), read(infra)],
      { at: readAt, initial: false },
    );

    expect(changes.opened).toEqual([{ teamId: 1, ...bo, joinedAt: readAt }]);
    expect(changes.closed).toEqual([{ teamId: 2, userId: 11, openSince: march, role: 'member' }]);
  });

  it('leaves ended spells as they are: a person back in a team starts a new one, at the reading', () => {
    const changes = compareReading(
      { teams: stored(platform), spells: [spell(1, bo, january, march)] },
      [read(platform, bo)],
      { at: readAt, initial: true },
    );

    // Not back-dated, even by the first reading: it assumes only where nothing is known.
    expect(changes.opened).toEqual([{ teamId: 1, ...bo, joinedAt: readAt }]);
    expect(changes.closed).toEqual([]);
  });

  it('deletes a team GitHub no longer lists, ending its spells, and records a new or changed one', () => {
    const renamed = { ...platform, name: 'Platform Group', slug: 'platform-group' };
    const changes = compareReading(
      { teams: stored(platform, infra), spells: [spell(2, bo, march)] },
      [read(renamed), { ...web, members: [] }],
      { at: readAt, initial: false },
    );

    expect(changes.recorded).toEqual([renamed, web]);
    expect(changes.deleted).toEqual([2]);
    expect(changes.closed).toEqual([{ teamId: 2, userId: 11, openSince: march, role: 'member' }]);
  });

  it('records a parent change, which no webhook names', () => {
    const moved = { ...infra, parentTeamId: null };
    const changes = compareReading(
      { teams: stored(platform, infra), spells: [] },
      [read(platform), read(moved)],
      {
        at: readAt,
        initial: false,
      },
    );

    expect(changes.recorded).toEqual([moved]);
  });

  it('never brings back a deleted team', () => {
    const changes = compareReading(
      { teams: [{ ...platform, deletedAt: march }], spells: [] },
      [read(platform, ada)],
      { at: readAt, initial: false },
    );

    expect(changes).toEqual({ recorded: [], deleted: [], opened: [], closed: [], refreshed: [] });
  });

  it("refreshes an open spell's login and role, keeping when it began", () => {
    const changes = compareReading(
      { teams: stored(platform), spells: [spell(1, bo, march)] },
      [read(platform, { ...bo, login: 'bo-renamed', role: 'maintainer' })],
      { at: readAt, initial: false },
    );

    expect(changes.refreshed).toEqual([
      { teamId: 1, userId: 11, login: 'bo-renamed', role: 'maintainer', openSince: march },
    ]);
    expect([changes.opened, changes.closed]).toEqual([[], []]);
  });
});
