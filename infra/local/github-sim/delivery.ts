import { createHash } from 'node:crypto';
import {
  type Dataset,
  mergeCommitSha,
  repositoryIdBase,
  type SimPullRequest,
  type SimRepository,
  type SimUser,
} from './dataset.ts';
import { randomFor } from './random.ts';

/**
 * A repository's delivery, derived from its pull requests: the default
 * branch (each merged PR's merge commit, in merge order), deployments to
 * `staging` and `production` with their statuses, and issues — incidents
 * among them. Deterministic from the dataset's seed, rebuilt when activity
 * changes a PR.
 */
export interface SimBranchCommit {
  oid: string;
  committedDate: Date;
  /** The PR whose merge made it; null for the repository's first commit. */
  pullRequest: number | null;
}

export interface SimDeploymentStatus {
  state: 'in_progress' | 'success' | 'failure' | 'error';
  createdAt: Date;
}

export interface SimDeployment {
  id: number;
  environment: 'staging' | 'production';
  sha: string;
  ref: string;
  creator: SimUser;
  createdAt: Date;
  statuses: SimDeploymentStatus[];
}

export interface SimIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  author: SimUser;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface SimDelivery {
  /** Oldest first: GitHub's history of the default branch, linear as merges land. */
  branch: SimBranchCommit[];
  /** In creation order. */
  deployments: SimDeployment[];
  /** In number order. */
  issues: SimIssue[];
}

/** The bot GitHub Actions deploys as. */
export const actionsBot: SimUser = { id: 41_898_282, login: 'github-actions[bot]', type: 'Bot' };

const minute = 60_000;
const hour = 60 * minute;
/** Release trains, UTC hours on weekdays: each deploys the branch head if it moved. */
const trainHours = [10, 15];
/** Issue numbers start past the simulator's PR numbers (150,000 per repository at most). */
const firstIssueNumber = 150_001;
/** Deployment ids per repository, kept within GraphQL's 32-bit `databaseId`. */
const deploymentIdsPerRepository = 20_000;

const cache = new WeakMap<Dataset, Map<number, { version: number; delivery: SimDelivery }>>();
/** Deployments and issues simulated activity added, after the seed's. */
const added = new WeakMap<Dataset, Map<number, Omit<SimDelivery, 'branch'>>>();

export function deliveryOf(dataset: Dataset, repo: SimRepository): SimDelivery {
  const byRepository = cache.get(dataset) ?? new Map();
  cache.set(dataset, byRepository);
  const cached = byRepository.get(repo.id);
  if (cached?.version === dataset.version) return cached.delivery;
  const built = buildDelivery(dataset, repo);
  const extra = added.get(dataset)?.get(repo.id);
  const delivery = {
    branch: built.branch,
    deployments: [...built.deployments, ...(extra?.deployments ?? [])],
    issues: [...built.issues, ...(extra?.issues ?? [])],
  };
  byRepository.set(repo.id, { version: dataset.version, delivery });
  return delivery;
}

/**
 * Activity's deployment of the default branch's head now, or its issue:
 * numbered after the seed's, kept apart from them, and served from then on.
 */
export function addDelivery(
  dataset: Dataset,
  repo: SimRepository,
  make: (current: SimDelivery) => { deployment?: SimDeployment; issue?: SimIssue },
): void {
  const current = deliveryOf(dataset, repo);
  const { deployment, issue } = make(current);
  const byRepository = added.get(dataset) ?? new Map();
  added.set(dataset, byRepository);
  const extra = byRepository.get(repo.id) ?? { deployments: [], issues: [] };
  byRepository.set(repo.id, extra);
  if (deployment) extra.deployments.push(deployment);
  if (issue) extra.issues.push(issue);
  dataset.version++;
}

/** The next deployment id of a repository: its first, and as many as it holds. */
export function nextDeploymentId(repo: SimRepository, delivery: SimDelivery): number {
  return firstDeploymentId(repo) + delivery.deployments.length;
}

/** The next issue number of a repository. */
export function nextIssueNumber(delivery: SimDelivery): number {
  return firstIssueNumber + delivery.issues.length;
}

function firstDeploymentId(repo: SimRepository): number {
  return 400_000_000 + (repo.id - repositoryIdBase) * deploymentIdsPerRepository;
}

function buildDelivery(dataset: Dataset, repo: SimRepository): SimDelivery {
  const merged = Array.from(
    { length: repo.pullRequestCount },
    (_, i) => dataset.pullRequest(repo, i + 1) as SimPullRequest,
  )
    .filter((pr) => pr.mergedAt !== null)
    .sort(
      (a, b) => (a.mergedAt?.getTime() ?? 0) - (b.mergedAt?.getTime() ?? 0) || a.number - b.number,
    );
  const branch: SimBranchCommit[] = [
    {
      oid: createHash('sha1').update(`${repo.id}:initial`).digest('hex'),
      committedDate: repo.createdAt,
      pullRequest: null,
    },
    ...merged.map((pr) => ({
      oid: mergeCommitSha(pr) as string,
      committedDate: pr.mergedAt as Date,
      pullRequest: pr.number,
    })),
  ];
  const { seed } = dataset.options;
  const now = dataset.options.now.getTime();
  const people = dataset.members.filter((member) => member.type === 'User');
  const deployments: SimDeployment[] = [];
  const issues: SimIssue[] = [];
  const firstId = firstDeploymentId(repo);
  const headAt = (time: number) =>
    branch.findLast((commit) => commit.committedDate.getTime() <= time) as SimBranchCommit;
  const deploy = (
    environment: SimDeployment['environment'],
    sha: string,
    at: number,
    state: 'success' | 'failure',
  ) => {
    const statuses: SimDeploymentStatus[] = [
      { state: 'in_progress' as const, createdAt: new Date(at + minute) },
      { state, createdAt: new Date(at + 8 * minute) },
    ].filter((status) => status.createdAt.getTime() <= now);
    deployments.push({
      id: firstId + deployments.length,
      environment,
      sha,
      ref: 'main',
      creator: actionsBot,
      createdAt: new Date(at),
      statuses,
    });
  };
  const openIssue = (issue: Omit<SimIssue, 'number' | 'updatedAt'>) => {
    if (issue.createdAt.getTime() > now) return;
    const closedAt = issue.closedAt && issue.closedAt.getTime() <= now ? issue.closedAt : null;
    issues.push({
      ...issue,
      number: firstIssueNumber + issues.length,
      closedAt,
      updatedAt: closedAt ?? issue.createdAt,
    });
  };

  let production: string | undefined;
  let previous: string | undefined;
  const firstDay = Math.floor(repo.createdAt.getTime() / (24 * hour)) + 7;
  for (let day = firstDay; day * 24 * hour < now; day++) {
    const weekday = new Date(day * 24 * hour).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const trainHour of trainHours) {
      const at = day * 24 * hour + trainHour * hour;
      if (at > now) break;
      const head = headAt(at);
      if (head.oid === production) continue;
      const random = randomFor(seed, repo.id, 'train', at);
      deploy('staging', head.oid, at, 'success');
      const productionAt = at + 20 * minute;
      const failed = random.chance(0.1);
      if (failed) {
        // A failed deployment, fixed by the next attempt an hour and a half later.
        deploy('production', head.oid, productionAt, 'failure');
        deploy(
          'production',
          headAt(productionAt + 90 * minute).oid,
          productionAt + 90 * minute,
          'success',
        );
      } else {
        deploy('production', head.oid, productionAt, 'success');
      }
      previous = production;
      production = deployments.at(-1)?.sha;
      // When production got its new commit: the success's last status.
      const shippedAt = productionAt + (failed ? 90 * minute : 0) + 8 * minute;
      if (previous && random.chance(0.05)) {
        // Something broke: production goes back to the commit it had.
        deploy('production', previous, shippedAt + 45 * minute, 'success');
        production = previous;
      } else if (random.chance(0.06)) {
        const linked = random.chance(0.5);
        const shipped = branch.find((commit) => commit.oid === production);
        openIssue({
          title: linked
            ? `Errors after deploying ${production?.slice(0, 7)}`
            : 'Checkout page errors',
          body: linked
            ? `Started with ${shipped?.pullRequest ? `#${shipped.pullRequest}` : 'the last deploy'}.`
            : 'Customers report failed payments.',
          labels: ['incident', random.pick(['sev1', 'sev2'])],
          author: random.pick(people),
          createdAt: new Date(shippedAt + random.int(1, 12) * hour),
          closedAt: new Date(shippedAt + random.int(13, 30) * hour),
        });
      }
      if (random.chance(0.1)) {
        openIssue({
          title: 'Typo on the settings page',
          body: 'Not urgent.',
          labels: ['bug'],
          author: random.pick(people),
          createdAt: new Date(at + 2 * hour),
          closedAt: null,
        });
      }
    }
  }
  return { branch, deployments, issues };
}
