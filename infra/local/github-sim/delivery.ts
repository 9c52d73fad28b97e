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
 * `staging` and `production` with their statuses, releases (each
 * Friday's production commit, and now and then a pre-release of the
 * branch's head), and issues — incidents among them. Deterministic from the dataset's seed, rebuilt when activity
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

/** A published release: drafts are listed only to those who can push, which the App cannot. */
export interface SimRelease {
  id: number;
  tagName: string;
  /** The commit its tag points at. */
  sha: string;
  author: SimUser;
  createdAt: Date;
  publishedAt: Date;
  /** Its last edit (a pre-release made a release keeps its publication time). */
  updatedAt: Date;
  prerelease: boolean;
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
  /** In publication order. */
  releases: SimRelease[];
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
/** Deployment and release ids per repository, kept within GraphQL's 32-bit `databaseId`. */
const idsPerRepository = 20_000;

const cache = new WeakMap<Dataset, Map<number, { version: number; delivery: SimDelivery }>>();
/** Deployments, releases and issues simulated activity added, after the seed's. */
const added = new WeakMap<Dataset, Map<number, Omit<SimDelivery, 'branch'>>>();

export function deliveryOf(dataset: Dataset, repo: SimRepository): SimDelivery {
  const byRepository = cache.get(dataset) ?? new Map();
  cache.set(dataset, byRepository);
  const cached = byRepository.get(repo.id);
  if (cached?.version === dataset.version) return cached.delivery;
  const built = buildDelivery(dataset, repo);
  const extra = activityDelivery(dataset, repo);
  const delivery = {
    branch: built.branch,
    deployments: [...built.deployments, ...extra.deployments],
    releases: [...built.releases, ...extra.releases],
    issues: [...built.issues, ...extra.issues],
  };
  byRepository.set(repo.id, { version: dataset.version, delivery });
  return delivery;
}

/**
 * What simulated activity added to a repository's delivery: kept apart
 * from the seed's, which is rebuilt whenever anything changes, so activity
 * changes its own items (a release promoted, an issue closed) here.
 */
export function activityDelivery(
  dataset: Dataset,
  repo: SimRepository,
): Omit<SimDelivery, 'branch'> {
  const byRepository = added.get(dataset) ?? new Map();
  added.set(dataset, byRepository);
  const extra = byRepository.get(repo.id) ?? { deployments: [], releases: [], issues: [] };
  byRepository.set(repo.id, extra);
  return extra;
}

/**
 * Activity's deployment of the default branch's head now, its release or
 * its issue: numbered after the seed's, kept apart from them, and served
 * from then on.
 */
export function addDelivery(
  dataset: Dataset,
  repo: SimRepository,
  make: (current: SimDelivery) => {
    deployment?: SimDeployment;
    release?: SimRelease;
    issue?: SimIssue;
  },
): void {
  const current = deliveryOf(dataset, repo);
  const { deployment, release, issue } = make(current);
  const extra = activityDelivery(dataset, repo);
  if (deployment) extra.deployments.push(deployment);
  if (release) extra.releases.push(release);
  if (issue) extra.issues.push(issue);
  dataset.version++;
}

/** Takes back a release activity published; undefined when it published none of that id. */
export function removeRelease(
  dataset: Dataset,
  repo: SimRepository,
  id: number,
): SimRelease | undefined {
  const { releases } = activityDelivery(dataset, repo);
  const index = releases.findIndex((release) => release.id === id);
  if (index < 0) return undefined;
  dataset.version++;
  return releases.splice(index, 1)[0];
}

/** The next deployment id of a repository: its first, and as many as it holds. */
export function nextDeploymentId(repo: SimRepository, delivery: SimDelivery): number {
  return firstDeploymentId(repo) + delivery.deployments.length;
}

/** The next release id of a repository. */
export function nextReleaseId(
  repo: SimRepository,
  delivery: Pick<SimDelivery, 'releases'>,
): number {
  const first = firstDeploymentId(repo) + idsPerRepository / 2;
  return Math.max(first - 1, ...delivery.releases.map((release) => release.id)) + 1;
}

/** The next release's tag: `v1.<n>.0` after n − 1 releases, its pre-releases `v1.<n>.0-rc.<k>`. */
export function nextTag(releases: readonly SimRelease[], prerelease: boolean): string {
  const version = `v1.${releases.filter((release) => !release.prerelease).length + 1}.0`;
  const candidates = releases.filter((release) => release.tagName.startsWith(`${version}-`));
  return prerelease ? `${version}-rc.${candidates.length + 1}` : version;
}

/** The next issue number of a repository. */
export function nextIssueNumber(delivery: SimDelivery): number {
  return firstIssueNumber + delivery.issues.length;
}

function firstDeploymentId(repo: SimRepository): number {
  return 400_000_000 + (repo.id - repositoryIdBase) * idsPerRepository;
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
  const releases: SimRelease[] = [];
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

  const publish = (sha: string, at: number, prerelease: boolean) => {
    releases.push({
      id: nextReleaseId(repo, { releases }),
      tagName: nextTag(releases, prerelease),
      sha,
      author: randomFor(seed, repo.id, 'release', at).pick(people),
      createdAt: new Date(at - 20 * minute),
      publishedAt: new Date(at),
      updatedAt: new Date(at),
      prerelease,
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
    // Fridays at four, what production has is released; some Wednesdays a pre-release of the head.
    const releaseAt = day * 24 * hour + 16 * hour;
    const lastRelease = releases.findLast((release) => !release.prerelease);
    if (releaseAt > now) continue;
    if (weekday === 5 && production && production !== lastRelease?.sha) {
      publish(production, releaseAt, false);
    } else if (weekday === 3 && randomFor(seed, repo.id, 'prerelease', day).chance(0.3)) {
      publish(headAt(releaseAt).oid, releaseAt, true);
    }
  }
  return { branch, deployments, releases, issues };
}
