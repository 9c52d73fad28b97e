import { describe, expect, it } from 'vitest';
import { pullRequestTeams, TeamDirectory } from '#shared/metrics/team-attribution.ts';
import { move, spells, teams } from '../support/hand-worked-teams.ts';
import { people } from '../support/pull-request-factory.ts';

const { alice, bob, carol } = people;
const directory = new TeamDirectory(teams, spells);
const pr = (authorId: number, mergedAt: string | null, authorType = 'User') => ({
  authorId,
  authorType,
  createdAt: '2026-11-16T09:00:00Z',
  mergedAt,
});

describe('which teams a pull request counts for', () => {
  it("is its author's teams when it merged, with the parents of each", () => {
    expect(pullRequestTeams(directory, pr(alice.id, '2026-11-17T10:00:00Z'))).toEqual([1, 2]);
    expect(pullRequestTeams(directory, pr(carol.id, '2026-11-17T10:00:00Z'))).toEqual([3, 4]);
  });

  it('follows a person who moved: their past stays with the old team, their future goes with them', () => {
    expect(pullRequestTeams(directory, pr(bob.id, '2026-11-16T15:00:00Z'))).toEqual([3]);
    // Joined counts from its instant on; left, up to it.
    expect(pullRequestTeams(directory, pr(bob.id, move))).toEqual([1, 2]);
    expect(pullRequestTeams(directory, pr(bob.id, '2026-11-19T10:00:00Z'))).toEqual([1, 2]);
  });

  it('places a pull request not merged at its opening, and a bot in no team', () => {
    // Bob opened it on Monday, before his move: it stays Web's while open.
    expect(pullRequestTeams(directory, pr(bob.id, null))).toEqual([3]);
    expect(pullRequestTeams(directory, pr(alice.id, '2026-11-17T10:00:00Z', 'Bot'))).toEqual([]);
    expect(pullRequestTeams(directory, pr(99, '2026-11-17T10:00:00Z'))).toEqual([]);
  });
});
