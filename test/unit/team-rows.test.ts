import { describe, expect, it } from 'vitest';
import { TeamDirectory } from '#shared/metrics/team-attribution.ts';
import { teamRows } from '#shared/metrics/team-rows.ts';
import { spells, teams } from '../support/hand-worked-teams.ts';
import { people, pr } from '../support/pull-request-factory.ts';

const { alice, bob, carol, dependabot } = people;
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
