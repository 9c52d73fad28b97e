import { type GitHubBudget, readBudget } from '../store/github-budget.ts';
import {
  type DeliveryRules,
  deliveryRules,
  listInstallations,
  listRepositories,
} from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';

export interface InstallationView {
  installationId: number;
  account: { login: string; id: number; type: string };
  status: string;
  repositorySelection: string | undefined;
  updatedAt: string;
  /** How its delivery figures read deployments and issues (`npm run settings`). */
  delivery: DeliveryRules;
  /** What is left of its GitHub GraphQL budget, shared by its sync workers; null before the first chunk. */
  githubBudget: { remaining: number; resetAt: string } | null;
  repositories: { id: number; fullName: string; private: boolean; active: boolean }[];
}

/** Installations and their repositories as stored, without key attributes. */
export async function installationsView(table: TableRef): Promise<InstallationView[]> {
  const installations = await listInstallations(table);
  return Promise.all(
    installations.map(async (installation) => ({
      installationId: installation.installationId,
      account: {
        login: installation.accountLogin,
        id: installation.accountId,
        type: installation.accountType,
      },
      status: installation.status,
      repositorySelection: installation.repositorySelection,
      updatedAt: installation.updatedAt,
      delivery: deliveryRules(installation),
      githubBudget: budgetView(await readBudget(table, installation.installationId)),
      repositories: (await listRepositories(table, installation.installationId)).map((repo) => ({
        id: repo.repositoryId,
        fullName: repo.fullName,
        private: repo.private,
        active: repo.active,
      })),
    })),
  );
}

const budgetView = (budget: GitHubBudget | null) =>
  budget ? { remaining: budget.remaining, resetAt: new Date(budget.resetAt).toISOString() } : null;
