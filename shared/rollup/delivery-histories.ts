import { mapWithConcurrency } from '../concurrency.ts';
import { deliveryLookback } from '../metrics/delivery-week.ts';
import { type Deployment, isProduction, outcome } from '../metrics/deployment.ts';
import type { Window } from '../metrics/flow-metrics.ts';
import {
  impliedProductionPattern,
  type MergedChange,
  mergesAsDeployments,
  productionHistory,
  releasesAsDeployments,
} from '../metrics/production-history.ts';
import type { RepositoryHistory } from '../metrics/rollup.ts';
import {
  type BranchCommit,
  repositoryBranch,
  repositoryIncidents,
} from '../store/delivery-history.ts';
import { repositoryDeployments } from '../store/deployments.ts';
import {
  deliveryRules,
  type InstallationRecord,
  listRepositories,
} from '../store/installations.ts';
import { mergedPullRequests } from '../store/pull-requests.ts';
import { repositoryReleases } from '../store/releases.ts';
import type { TableRef } from '../store/table.ts';

/** How far before the week deployments are read first. */
const nearMs = 7 * 86_400_000;

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
  table: TableRef,
  installation: InstallationRecord,
  week: Window,
  now: Date,
): Promise<RepositoryHistory[]> {
  const { installationId } = installation;
  const span = {
    from: new Date(week.start.getTime() - deliveryLookback.beforeMs),
    to: new Date(Math.min(week.end.getTime() + deliveryLookback.afterMs, now.getTime())),
  };
  const rules = deliveryRules(installation);
  const productionPattern =
    rules.source === 'deployments' ? rules.productionPattern : impliedProductionPattern;
  const repositories = await listRepositories(table, installationId);
  // Most teams deploy weekly or more: a week before the week tells what production had.
  const near = { from: new Date(week.start.getTime() - nearMs), to: span.to };
  const facts = await mapWithConcurrency(repositories, 4, async (repository) => {
    const { repositoryId } = repository;
    const read = async (range: { from: Date; to: Date }) => {
      // Merges become deployments once the merged PRs are read, below.
      const deployments =
        rules.source === 'merges'
          ? null
          : rules.source === 'releases'
            ? releasesAsDeployments(
                await repositoryReleases(table, installationId, repositoryId, range),
              )
            : await repositoryDeployments(table, installationId, repositoryId, range);
      const branch =
        deployments?.length === 0
          ? []
          : await repositoryBranch(table, installationId, repositoryId, range);
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
    const incidents = await repositoryIncidents(table, installationId, repositoryId);
    return { repository, deployments, branch, hadAt, incidents };
  });
  const deploying = facts.filter((repository) => repository !== null);
  if (deploying.length === 0) return [];
  const shippedBefore = Math.min(...deploying.map(({ hadAt }) => hadAt));
  const merged = await mergedPullRequests(table, installationId, {
    start: new Date(Math.max(shippedBefore, span.from.getTime())),
    end: span.to,
  });
  return deploying.flatMap(({ repository, deployments: recorded, branch, incidents }) => {
    const { repositoryId } = repository;
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
      productionPattern,
    });
    return [{ repositoryId, repositoryFullName: repository.fullName, history }];
  });
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
