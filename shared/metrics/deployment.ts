import { matchesAdminPattern } from './admin-pattern.ts';

/** A deployment of a repository: which commit went to which environment, when, by whom. */
export interface DeploymentFacts {
  installationId: number;
  repositoryId: number;
  repositoryFullName: string;
  deploymentId: number;
  environment: string;
  sha: string;
  ref: string;
  creatorLogin: string | null;
  createdAt: string;
}

/**
 * One status GitHub recorded for a deployment (`success`, `failure`,
 * `in_progress`, …). Known by its time and state: GraphQL gives a status no
 * number, and two of one state at one instant mean the same.
 */
export interface DeploymentStatusFacts {
  deploymentId: number;
  state: string;
  createdAt: string;
}

/** A deployment with its statuses, oldest first. */
export interface Deployment extends DeploymentFacts {
  statuses: DeploymentStatusFacts[];
}

/**
 * A published release of a repository: the commit its tag points at, and
 * when it was published. Drafts are not listed to the App.
 */
export interface Release {
  installationId: number;
  repositoryId: number;
  repositoryFullName: string;
  releaseId: number;
  tagName: string;
  sha: string;
  authorLogin: string | null;
  publishedAt: string;
  prerelease: boolean;
}

/**
 * What counts as a deployment: GitHub's deployments (GitHub Actions jobs
 * with `environment:` make them), or, for teams without any, each merge to
 * the default branch, or each published release (other than a pre-release)
 * — a successful production deployment of its commit.
 */
export const deploymentSources = ['deployments', 'merges', 'releases'] as const;
export type DeploymentSource = (typeof deploymentSources)[number];

/** What each source counts as a deployment, in words: the dashboard, its settings and `npm run settings` say it so. */
export const deploymentSourceWords: Record<DeploymentSource, string> = {
  deployments: 'a GitHub deployment to a production environment',
  merges: 'each merge to the default branch (for repositories without GitHub deployments)',
  releases: "each published release other than a pre-release, of its tag's commit",
};

/** Which environments count as production unless an installation says otherwise. */
export const defaultProductionPattern = '^(prod|production)$';

export function isProduction(environment: string, pattern = defaultProductionPattern): boolean {
  return matchesAdminPattern(pattern, environment);
}

/**
 * How a deployment ended: its last `success`, `failure` or `error` status
 * (`status`; `state` takes an error for a failure), or null while it has none.
 */
export function outcome(
  deployment: Deployment,
): { state: 'success' | 'failure'; status: string; at: string } | null {
  const final = deployment.statuses.filter((status) =>
    ['success', 'failure', 'error'].includes(status.state),
  );
  const last = final.at(-1);
  if (!last) return null;
  return {
    state: last.state === 'success' ? 'success' : 'failure',
    status: last.state,
    at: last.createdAt,
  };
}
