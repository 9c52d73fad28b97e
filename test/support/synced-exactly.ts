import { expect } from 'vitest';
import { type Dataset, exportDataset } from '#infra/local/github-sim/dataset.ts';
import { deliveryOf } from '#infra/local/github-sim/delivery.ts';
import { repositoryBranch, repositoryIncidents } from '#shared/store/delivery-history.ts';
import { repositoryDeployments } from '#shared/store/deployments.ts';
import { keys } from '#shared/store/keys.ts';
import type { StackHarness } from './local-stack.ts';
import { storedPullRequests } from './stored-pull-requests.ts';

/**
 * A repository's full-history sync ended as a clean run does: its stored PRs
 * equal the dataset, one item per PR, the counters agree, and every
 * deployment with its statuses, default-branch commit and incident is
 * stored once.
 */
export async function expectRepositorySyncedExactly(
  harness: StackHarness,
  dataset: Dataset,
  installationId: number,
  fullName: string,
) {
  const repo = dataset.repository(fullName);
  if (!repo) throw new Error(`no repository ${fullName}`);
  const expected =
    exportDataset(dataset).repositories.find((r) => r.fullName === fullName)?.pullRequests ?? [];
  const items = await storedPullRequests(harness.table, installationId, repo.id);
  expect(items.map((item) => item.number).sort((a, b) => Number(a) - Number(b))).toEqual(
    expected.map((pr) => pr.number),
  );
  const byNumber = new Map(items.map((item) => [item.number, item]));
  for (const pr of expected) {
    expect(byNumber.get(pr.number)).toMatchObject({
      updatedAt: pr.updatedAt,
      commitCount: pr.commitCount,
      commitDates: pr.commits.map((c) => c.committedDate),
      title: pr.title,
    });
    expect(Object.keys(byNumber.get(pr.number)?.reviews ?? {})).toHaveLength(pr.reviews.length);
    expect(byNumber.get(pr.number)).not.toHaveProperty('followUp');
  }
  expect(await harness.get(keys.repository(installationId, repo.id))).toMatchObject({
    syncStatus: 'complete',
    syncCompleted: expected.length,
    syncTotal: expected.length,
    syncDelivery: null,
  });

  const delivery = deliveryOf(dataset, repo);
  const deployments = await repositoryDeployments(harness.table, installationId, repo.id);
  expect(
    deployments.map((d) => [d.deploymentId, d.sha, d.statuses.map((status) => status.state)]),
  ).toEqual(
    delivery.deployments.map((d) => [d.id, d.sha, d.statuses.map((status) => status.state)]),
  );
  expect(
    (await repositoryBranch(harness.table, installationId, repo.id)).map((c) => c.sha),
  ).toEqual(delivery.branch.map((commit) => commit.oid));
  expect(
    (await repositoryIncidents(harness.table, installationId, repo.id)).map(
      (incident) => incident.number,
    ),
  ).toEqual(
    delivery.issues.filter((issue) => issue.labels.includes('incident')).map((i) => i.number),
  );
}
