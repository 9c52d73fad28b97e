import { mapWithConcurrency } from '../concurrency.ts';
import { deliveryLookback } from '../metrics/delivery-week.ts';
import { type Deployment, isProduction, outcome, type Release } from '../metrics/deployment.ts';
import type { Window } from '../metrics/flow-metrics.ts';
import {
  type Incident,
  impliedProductionPattern,
  type MergedChange,
  mergesAsDeployments,
  productionHistory,
  releasesAsDeployments,
} from '../metrics/production-history.ts';
import type { StoredPullRequest } from '../metrics/pull-request.ts';
import type { RepositoryHistory } from '../metrics/rollup.ts';
import {
  type BranchCommit,
  repositoryBranch,
  repositoryIncidents,
} from '../store/delivery-history.ts';
import { repositoryDeployments } from '../store/deployments.ts';
import {
  type DeliveryRules,
  deliveryRules,
  type InstallationRecord,
  listRepositories,
  type RepositoryRecord,
} from '../store/installations.ts';
import { mergedPullRequests } from '../store/pull-requests.ts';
import { repositoryReleases } from '../store/releases.ts';
import type { TableRef } from '../store/table.ts';
import type { TimeRange } from '../store/time-range.ts';

/**
 * Where a week's delivery facts are read from: the table, range by range
 * (the rollup), or facts read once for several weeks (the rule preview,
 * `read-once.ts`). Each answers as the table's reads do.
 */
export interface DeliverySource {
  repositories(): Promise<RepositoryRecord[]>;
  /** Deployments made in the range, both ends included, with their statuses. */
  deployments(repositoryId: number, range: TimeRange): Promise<Deployment[]>;
  /** Releases published in the range. */
  releases(repositoryId: number, range: TimeRange): Promise<Release[]>;
  /** Default-branch commits committed in the range, in branch order. */
  branch(repositoryId: number, range: TimeRange): Promise<BranchCommit[]>;
  incidents(repositoryId: number): Promise<Incident[]>;
  /** The installation's PRs merged within the window (`mergedPullRequests`). */
  merged(window: Window): Promise<StoredPullRequest[]>;
}

/** The installation's delivery facts as the table holds them: one read per question. */
export function tableSource(table: TableRef, installationId: number): DeliverySource {
  return {
    repositories: () => listRepositories(table, installationId),
    deployments: (repositoryId, range) =>
      repositoryDeployments(table, installationId, repositoryId, range),
    releases: (repositoryId, range) =>
      repositoryReleases(table, installationId, repositoryId, range),
    branch: (repositoryId, range) => repositoryBranch(table, installationId, repositoryId, range),
    incidents: (repositoryId) => repositoryIncidents(table, installationId, repositoryId),
    merged: (window) => mergedPullRequests(table, installationId, window),
  };
}

/** How far before the week deployments are read first. */
const nearMs = 7 * 86_400_000;

/** A repository that deployed around the week, with what its history is made of but the merged PRs. */
interface DeployingRepository {
  repository: RepositoryRecord;
  /** Its deployments, or null with merges as deployments (made of the merged PRs). */
  deployments: Deployment[] | null;
  branch: BranchCommit[];
  /** When production's commit was made as the week began (`productionAt`). */
  hadAt: number;
  incidents: Incident[];
}

/**
 * The production histories of the installation's repositories that
 * deployed around the week, as its delivery rules read them: deployments
 * (or releases) and the default branch's commits from a week before it (the whole looked-at
 * span when that week holds nothing production had), incidents, and the
 * merged PRs from what production already had when the week began (older
 * ones were shipped before it: reading them would cost the most, PR items
 * being the largest, for nothing). Nothing past the repositories' list is
 * read for an installation with no deployment in the span.
 */
export async function deliveryHistories(
  source: DeliverySource,
  installation: InstallationRecord,
  week: Window,
  now: Date,
): Promise<RepositoryHistory[]> {
  const around = await deployingRepositories(source, installation, week, now);
  if (!around) return [];
  const merged = await source.merged(around.changes);
  return around.deploying.flatMap((repository) =>
    repositoryHistory(installation, repository, merged),
  );
}

/**
 * The repositories that deployed around the week, and the window of merged
 * PRs their histories need; null when none did. The rule preview asks this
 * of every week first, to read the PRs all of them need at once.
 */
export async function deployingRepositories(
  source: DeliverySource,
  installation: InstallationRecord,
  week: Window,
  now: Date,
): Promise<{ deploying: DeployingRepository[]; changes: Window } | null> {
  const span = {
    from: new Date(week.start.getTime() - deliveryLookback.beforeMs),
    to: new Date(Math.min(week.end.getTime() + deliveryLookback.afterMs, now.getTime())),
  };
  const rules = deliveryRules(installation);
  const productionPattern = deliveryPattern(rules);
  const repositories = await source.repositories();
  // Most teams deploy weekly or more: a week before the week tells what production had.
  const near = { from: new Date(week.start.getTime() - nearMs), to: span.to };
  const facts = await mapWithConcurrency(repositories, 4, async (repository) => {
    const { repositoryId } = repository;
    const read = async (range: TimeRange) => {
      // Merges become deployments once the merged PRs are read, below.
      const deployments =
        rules.source === 'merges'
          ? null
          : rules.source === 'releases'
            ? releasesAsDeployments(await source.releases(repositoryId, range))
            : await source.deployments(repositoryId, range);
      const branch = deployments?.length === 0 ? [] : await source.branch(repositoryId, range);
      return {
        deployments,
        branch,
        hadAt: productionAt(week.start, branch, deployments, productionPattern),
      };
    };
    let { deployments, branch, hadAt } = await read(near);
    // Nothing before the week in it: the whole span, so the week does not start from scratch.
    if (hadAt === 0) ({ deployments, branch, hadAt } = await read(span));
    if (deployments?.length === 0) return null;
    const incidents = await source.incidents(repositoryId);
    return { repository, deployments, branch, hadAt, incidents };
  });
  const deploying = facts.filter((repository) => repository !== null);
  if (deploying.length === 0) return null;
  const shippedBefore = Math.min(...deploying.map(({ hadAt }) => hadAt));
  return {
    deploying,
    changes: { start: new Date(Math.max(shippedBefore, span.from.getTime())), end: span.to },
  };
}

/** The pattern production environments match under the rules: merges and releases deploy to production itself. */
export function deliveryPattern(rules: DeliveryRules): string {
  return rules.source === 'deployments' ? rules.productionPattern : impliedProductionPattern;
}

/** One deploying repository's production history, from its facts and the installation's merged PRs. */
function repositoryHistory(
  installation: InstallationRecord,
  { repository, deployments: recorded, branch, incidents }: DeployingRepository,
  merged: readonly StoredPullRequest[],
): RepositoryHistory[] {
  const { installationId } = installation;
  const { repositoryId } = repository;
  const rules = deliveryRules(installation);
  const changes: MergedChange[] = merged.flatMap((pr) =>
    pr.repositoryId === repositoryId && pr.mergeCommitSha && pr.mergedAt
      ? [
          {
            number: pr.number,
            authorId: pr.authorId,
            authorLogin: pr.authorLogin,
            authorType: pr.authorType,
            ...(pr.assignees ? { assignees: pr.assignees } : {}),
            mergeCommitSha: pr.mergeCommitSha,
            mergedAt: pr.mergedAt,
            firstCommitAt: pr.firstCommitAt ?? null,
            title: pr.title,
            headRef: pr.headRef ?? '',
          },
        ]
      : [],
  );
  // Merges as deployments: those that landed on the default branch, not on another.
  const onBranch = new Set(branch.map((commit) => commit.sha));
  const deployments =
    recorded ??
    mergesAsDeployments(
      { installationId, repositoryId, repositoryFullName: repository.fullName },
      changes.filter((change) => onBranch.has(change.mergeCommitSha)),
    );
  if (deployments.length === 0) return [];
  const history = productionHistory({
    defaultBranch: branch.map((commit) => commit.sha),
    deployments,
    changes,
    incidents,
    incidentRules: rules.incidentRules,
    productionPattern: deliveryPattern(rules),
  });
  return [{ repositoryId, repositoryFullName: repository.fullName, history }];
}

/**
 * When production's commit, as the week began, was made (epoch ms): the
 * furthest commit a production success before the week had deployed — with
 * merges as deployments, the branch's last commit before the week. Changes
 * merged before it were shipped before the week. The span's start when
 * nothing tells.
 */
function productionAt(
  weekStart: Date,
  branch: readonly BranchCommit[],
  deployments: readonly Deployment[] | null,
  productionPattern: string,
): number {
  const before = (at: string) => Date.parse(at) < weekStart.getTime();
  const shipped = deployments
    ? new Set(
        deployments
          .filter((deployment) => isProduction(deployment.environment, productionPattern))
          .filter((deployment) => {
            const end = outcome(deployment);
            return end?.state === 'success' && before(end.at);
          })
          .map((deployment) => deployment.sha),
      )
    : null;
  const had = branch.filter((commit) =>
    shipped ? shipped.has(commit.sha) : before(commit.committedAt),
  );
  // The branch is in commit order: the last one production had is the furthest.
  return had.length > 0 ? Date.parse(had.at(-1)?.committedAt as string) : 0;
}
