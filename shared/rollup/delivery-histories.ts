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
 * and the repository's incidents. Nothing past the repositories' list is
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
  const repositories = await listRepositories(table, installationId);
  const recorded = await mapWithConcurrency(repositories, 4, async (repository) => ({
    repository,
    deployments:
      rules.source === 'merges'
        ? null
        : await repositoryDeployments(table, installationId, repository.repositoryId, span),
  }));
  const deploying = recorded.filter(({ deployments }) => deployments?.length !== 0);
  if (deploying.length === 0) return [];
  const merged = await mergedPullRequests(table, installationId, {
    start: span.from,
    end: span.to,
  });
  const histories = await mapWithConcurrency(
    deploying,
    4,
    async ({ repository, deployments: recordedDeployments }): Promise<RepositoryHistory | null> => {
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
      const [branch, incidents] = await Promise.all([
        repositoryBranch(table, installationId, repositoryId, span),
        repositoryIncidents(table, installationId, repositoryId),
      ]);
      // Merges as deployments: those that landed on the default branch, not on another.
      const onBranch = new Set(branch.map((commit) => commit.sha));
      const deployments =
        recordedDeployments ??
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
