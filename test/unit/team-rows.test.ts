import { describe, expect, it } from 'vitest';
import {
  type MembershipSpell,
  TeamDirectory,
  type TeamRecord,
} from '#shared/metrics/team-attribution.ts';
import { teamRows } from '#shared/metrics/team-rows.ts';
import { people, pr } from '../support/pull-request-factory.ts';

// Platform (1) holds API (2); Web (3) and the secret Ops (4) stand alone.
const teams: TeamRecord[] = [
  { teamId: 1, slug: 'platform', name: 'Platform', privacy: 'visible', parentTeamId: null },
  { teamId: 2, slug: 'api', name: 'API', privacy: 'visible', parentTeamId: 1 },
  { teamId: 3, slug: 'web', name: 'Web', privacy: 'visible', parentTeamId: null },
  { teamId: 4, slug: 'ops', name: 'Ops', privacy: 'secret', parentTeamId: null },
];
const { alice, bob, carol, dependabot } = people;
const move = '2026-11-18T12:00:00Z';
const since = '2026-01-01T00:00:00Z';
// Alice is in API; Bob moves from Web to API on Wednesday at noon; Carol is in Web and in Ops.
const spells: MembershipSpell[] = [
  { teamId: 2, userId: alice.id, login: alice.login, joinedAt: since, leftAt: null },
  { teamId: 3, userId: bob.id, login: bob.login, joinedAt: since, leftAt: move },
  { teamId: 2, userId: bob.id, login: bob.login, joinedAt: move, leftAt: null },
  { teamId: 3, userId: carol.id, login: carol.login, joinedAt: since, leftAt: null },
  { teamId: 4, userId: carol.id, login: carol.login, joinedAt: since, leftAt: null },
];
const week = { start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') };
const noCopilot = { organisation: [], users: [], noDataDays: 0 };

describe("a week's team rows", () => {
  it('attribute each pull request to its author’s teams at its merge, parents included, a person in two teams to both', () => {
    const pullRequests = [
      // Alice: 24 h, Platform and API.
      pr(alice, { createdAt: '2026-11-16T09:00:00Z', mergedAt: '2026-11-17T09:00:00Z' }),
      // Bob before his move: 6 h, Web; after it: 24 h, Platform and API.
      pr(bob, { createdAt: '2026-11-16T09:00:00Z', mergedAt: '2026-11-16T15:00:00Z' }),
      pr(bob, { createdAt: '2026-11-18T13:00:00Z', mergedAt: '2026-11-19T13:00:00Z' }),
      // Carol: 36 h, Web and Ops.
      pr(carol, { createdAt: '2026-11-17T09:00:00Z', mergedAt: '2026-11-18T21:00:00Z' }),
      // A bot's: no team's.
      pr(dependabot, { createdAt: '2026-11-17T09:00:00Z', mergedAt: '2026-11-17T10:00:00Z' }),
    ];
    const rows = teamRows(new TeamDirectory(teams, spells), pullRequests, week, noCopilot, {
      histories: [],
      timeZone: 'UTC',
    });
    // By hand: Platform and API have Alice's 24 h and Bob's later 24 h; Web has Bob's 6 h and
    // Carol's 36 h (median 21 h); Ops has Carol's 36 h. Together 6 merges, though the week had 4
    // human ones: team figures overlap.
    expect(
      rows.map((row) => [
        row.row,
        row.scope,
        row.name,
        row.metrics.merged,
        row.metrics.cycleTime?.median,
      ]),
    ).toEqual([
      ['team#1', 'team', 'Platform', 2, 24],
      ['team#2', 'team', 'API', 2, 24],
      ['team#3', 'team', 'Web', 2, 21],
      ['team#4', 'team', 'Ops', 1, 36],
    ]);
    expect(rows.every((row) => row.repositoryIds?.join() === '10')).toBe(true);
  });

  it('leaves out a team with no work in the week', () => {
    const rows = teamRows(
      new TeamDirectory(teams, spells),
      [pr(carol, { createdAt: '2026-11-17T09:00:00Z', mergedAt: '2026-11-18T21:00:00Z' })],
      week,
      noCopilot,
      { histories: [], timeZone: 'UTC' },
    );
    expect(rows.map((row) => row.row)).toEqual(['team#3', 'team#4']);
  });
});
