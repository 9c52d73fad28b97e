import { describe, expect, it } from 'vitest';
import { pullRequestTeams, TeamDirectory } from '#shared/metrics/team-attribution.ts';
import { move, spells, teams } from '../support/hand-worked-teams.ts';
import { people } from '../support/pull-request-factory.ts';

const { alice, bob, carol, copilotAgent, dependabot } = people;
const directory = new TeamDirectory(teams, spells);
const pr = (authorId: number, mergedAt: string | null, authorType = 'User') => ({
  authorId,
  authorLogin: `user-${authorId}`,
  authorType,
  createdAt: '2026-11-16T09:00:00Z',
  mergedAt,
});
/** A pull request an AI agent opened for the people assigned to it. */
const agentPr = (
  agent: { id: number; login: string },
  assignees: { id: number; login: string }[] | undefined,
  mergedAt: string,
) => ({
  ...pr(agent.id, mergedAt, 'Bot'),
  authorLogin: agent.login,
  ...(assignees ? { assignees } : {}),
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

  it("counts an AI agent's pull request for the teams of the people assigned to it, at its merge", () => {
    const tuesday = '2026-11-17T10:00:00Z';
    // Copilot's, for Alice: Platform and API; for Bob, merged before his move: Web.
    expect(pullRequestTeams(directory, agentPr(copilotAgent, [alice], tuesday))).toEqual([1, 2]);
    expect(pullRequestTeams(directory, agentPr(copilotAgent, [bob], tuesday))).toEqual([3]);
    // Webhooks name the agent Copilot; assigned to Alice and Carol: each of their teams once.
    expect(
      pullRequestTeams(
        directory,
        agentPr({ id: copilotAgent.id, login: 'Copilot' }, [alice, carol], tuesday),
      ),
    ).toEqual([1, 2, 3, 4]);
    // Assigned to no one (or not known yet): no team's.
    expect(pullRequestTeams(directory, agentPr(copilotAgent, [], tuesday))).toEqual([]);
    expect(pullRequestTeams(directory, agentPr(copilotAgent, undefined, tuesday))).toEqual([]);
    // Another bot's stays no team's, whoever it is assigned to.
    expect(pullRequestTeams(directory, agentPr(dependabot, [alice], tuesday))).toEqual([]);
  });
});
