import type { SimUser } from '#infra/local/github-sim/dataset.ts';
import { startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import type { TeamSizes } from '#infra/local/github-sim/sized-teams.ts';
import type { TableRef } from '#shared/store/table.ts';
import { readTeamsOfInstallation } from '#shared/teams/read-teams.ts';
import { simAppClient } from '../support/sim-octokit.ts';
import { recordOrganisation } from './query-reads.ts';

/**
 * An installation of an organisation of `people` in teams of the
 * simulator's sized layout, its teams stored by the teams reading itself
 * (the simulator started for it, then stopped): returns the organisation's
 * people, for pull requests of theirs.
 */
export async function installSizedTeams(
  table: TableRef,
  organisation: { installationId: number; login: string; people: number; teams: TeamSizes },
): Promise<SimUser[]> {
  const { installationId, login } = organisation;
  const sim = await startGitHubSimulator({
    dataset: {
      seed: installationId,
      installationId,
      organisation: login,
      repositories: [],
      members: organisation.people,
      teams: organisation.teams,
    },
  });
  await recordOrganisation(table, installationId, { id: sim.dataset.organisation.id, login });
  const { graphql } = simAppClient(sim, installationId);
  const outcome = await readTeamsOfInstallation(
    {
      version: 1,
      kind: 'teams',
      idempotencyKey: `bench:teams:${installationId}`,
      installationId,
      trigger: 'installation',
      requestedAt: new Date().toISOString(),
    },
    {
      table,
      graphql,
      reserve: 0,
      continueLater: async () => {
        throw new Error('the teams reading waited for the budget');
      },
      now: () => new Date(),
    },
  );
  await sim.stop();
  if (outcome !== 'read') throw new Error(`the teams reading ended ${outcome}`);
  return sim.dataset.members.filter((member) => member.type === 'User');
}
