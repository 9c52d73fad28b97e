import { mapWithConcurrency } from '../concurrency.ts';
import { deliveryLookback } from '../metrics/delivery-week.ts';
import type { Window } from '../metrics/flow-metrics.ts';
import {
  type MergedChange,
  mergeProductionPattern,
  mergesAsDeployments,
  productionHistory,
} from '../metrics/production-history.ts';
import type { RepositoryHistory } from '../metrics/rollup.ts';
import { repositoryBranch, repositoryIncidents } from '../store/delivery-history.ts';
import { repositoryDeployments } from '../store/deployments.ts';
import {
  deliveryRules,
  type InstallationRecord,
  listRepositories,
} from '../store/installations.ts';
import { mergedPullRequests } from '../store/pull-requests.ts';
import type { TableRef } from '../store/table.ts';

/**
 * The production histories of the installation's repositories that
 * deployed around the week, as its delivery rules read them: deployments,
 * the default branch's commits and the merged PRs in the looked-at span,
 * and the repository's incidents.
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
  // A deployment ships commits made before it: the branch and the changes are read from further back.
  const earlier = { from: new Date(span.from.getTime() - deliveryLookback.beforeMs), to: span.to };
  const rules = deliveryRules(installation);
  const [repositories, merged] = await Promise.all([
    listRepositories(table, installationId),
    mergedPullRequests(table, installationId, { start: earlier.from, end: earlier.to }),
  ]);
  const histories = await mapWithConcurrency(
    repositories,
    4,
    async (repository): Promise<RepositoryHistory | null> => {
      const { repositoryId } = repository;
      const changes: MergedChange[] = merged.flatMap((pr) =>
        pr.repositoryId === repositoryId && pr.mergeCommitSha && pr.mergedAt
          ? [
              {
                number: pr.number,
                mergeCommitSha: pr.mergeCommitSha,
                mergedAt: pr.mergedAt,
                firstCommitAt: pr.firstCommitAt ?? null,
                title: pr.title,
                headRef: pr.headRef ?? '',
              },
            ]
          : [],
      );
      const recorded =
        rules.source === 'merges'
          ? null
          : await repositoryDeployments(table, installationId, repositoryId, span);
      if (recorded?.length === 0) return null;
      const [branch, incidents] = await Promise.all([
        repositoryBranch(table, installationId, repositoryId, earlier),
        repositoryIncidents(table, installationId, repositoryId),
      ]);
      // Merges as deployments: those that landed on the default branch, not on another.
      const onBranch = new Set(branch.map((commit) => commit.sha));
      const deployments =
        recorded ??
        mergesAsDeployments(
          { installationId, repositoryId, repositoryFullName: repository.fullName },
          changes.filter((change) => onBranch.has(change.mergeCommitSha)),
        );
      if (deployments.length === 0) return null;
      return {
        repositoryId,
        repositoryFullName: repository.fullName,
        history: productionHistory({
          defaultBranch: branch.map((commit) => commit.sha),
          deployments,
          changes,
          incidents,
          incidentRules: rules.incidentRules,
          productionPattern:
            rules.source === 'merges' ? mergeProductionPattern : rules.productionPattern,
        }),
      };
    },
  );
  return histories.filter((history): history is RepositoryHistory => history !== null);
}
