import { describe, expect, it } from 'vitest';
import {
  type MembershipSpell,
  pullRequestTeams,
  TeamDirectory,
  type TeamRecord,
} from '#shared/metrics/team-attribution.ts';

// Platform (1) holds API (2); Web (3) and the secret Ops (4) stand alone.
const teams: TeamRecord[] = [
  { teamId: 1, slug: 'platform', name: 'Platform', privacy: 'visible', parentTeamId: null },
  { teamId: 2, slug: 'api', name: 'API', privacy: 'visible', parentTeamId: 1 },
  { teamId: 3, slug: 'web', name: 'Web', privacy: 'visible', parentTeamId: null },
  { teamId: 4, slug: 'ops', name: 'Ops', privacy: 'secret', parentTeamId: null },
];
const move = '2026-11-18T12:00:00Z';
const spells: MembershipSpell[] = [
  // Ada is in API all along; Bo moves from Web to API on Wednesday at noon; Cy is in Web and Ops.
  { teamId: 2, userId: 10, login: 'ada', joinedAt: '2026-01-01T00:00:00Z', leftAt: null },
  { teamId: 3, userId: 11, login: 'bo', joinedAt: '2026-01-01T00:00:00Z', leftAt: move },
  { teamId: 2, userId: 11, login: 'bo', joinedAt: move, leftAt: null },
  { teamId: 3, userId: 12, login: 'cy', joinedAt: '2026-01-01T00:00:00Z', leftAt: null },
  { teamId: 4, userId: 12, login: 'cy', joinedAt: '2026-01-01T00:00:00Z', leftAt: null },
];
const directory = new TeamDirectory(teams, spells);
const pr = (authorId: number, mergedAt: string | null, authorType = 'User') => ({
  authorId,
  authorType,
  createdAt: '2026-11-16T09:00:00Z',
  mergedAt,
});

describe('which teams a pull request counts for', () => {
  it("is its author's teams when it merged, with the parents of each", () => {
    expect(pullRequestTeams(directory, pr(10, '2026-11-17T10:00:00Z'))).toEqual([1, 2]);
    expect(pullRequestTeams(directory, pr(12, '2026-11-17T10:00:00Z'))).toEqual([3, 4]);
  });

  it('follows a person who moved: their past stays with the old team, their future goes with them', () => {
    expect(pullRequestTeams(directory, pr(11, '2026-11-16T15:00:00Z'))).toEqual([3]);
    // Joined counts from its instant on; left, up to it.
    expect(pullRequestTeams(directory, pr(11, move))).toEqual([1, 2]);
    expect(pullRequestTeams(directory, pr(11, '2026-11-19T10:00:00Z'))).toEqual([1, 2]);
  });

  it('places a pull request not merged at its opening, and a bot in no team', () => {
    // Bo opened it on Monday, before his move: it stays Web's while open.
    expect(pullRequestTeams(directory, pr(11, null))).toEqual([3]);
    expect(pullRequestTeams(directory, pr(10, '2026-11-17T10:00:00Z', 'Bot'))).toEqual([]);
    expect(pullRequestTeams(directory, pr(99, '2026-11-17T10:00:00Z'))).toEqual([]);
  });
});
