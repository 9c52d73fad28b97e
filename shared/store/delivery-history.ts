import type { Deployment } from '../metrics/deployment.ts';
import type { Incident } from '../metrics/production-history.ts';
import { isoWeek } from '../metrics/weeks.ts';
import { table } from '../resources.ts';
import { deploymentItems } from './deployments.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { keys } from './keys.ts';
import { batchWrite, queryAll, type TableRef } from './table.ts';

/** A default-branch commit and its place: the repository's first commit is 1. */
export interface BranchCommit {
  position: number;
  sha: string;
  committedAt: string;
}

/** What a page of the delivery stream holds. */
export interface DeliveryFacts {
  deployments: Deployment[];
  branch: BranchCommit[];
  /** Issues of the page; the store keeps those its installation counts as incidents. */
  issues: Incident[];
}

/**
 * Stores one page of a repository's delivery stream: its deployments with
 * their statuses, its default-branch commits at their places, and the
 * issues whose labels match the installation's incident pattern. Every
 * item is written whole from GitHub's facts, so a page read twice (a crash
 * before the checkpoint moved) changes nothing; the weeks they touch are
 * marked for the rollup.
 */
export async function recordDeliveryPage(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  page: DeliveryFacts,
  incidentLabelPattern: string,
  now: Date,
): Promise<void> {
  const { installationId, repositoryId } = repository;
  const incidentLabel = new RegExp(incidentLabelPattern, 'i');
  const incidents = page.issues.filter((issue) =>
    issue.labels.some((label) => incidentLabel.test(label)),
  );
  const items = [
    ...page.deployments.flatMap(deploymentItems),
    ...page.branch.map((commit) => ({
      ...keys.branchCommit(installationId, repositoryId, commit.position),
      ...commit,
    })),
    ...incidents.map((incident) => ({
      ...keys.incident(installationId, repositoryId, incident.number),
      ...incident,
    })),
  ];
  await batchWrite(
    ref,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
  const times = [
    ...page.deployments.flatMap((deployment) => [
      deployment.createdAt,
      ...deployment.statuses.map((status) => status.createdAt),
    ]),
    ...page.branch.map((commit) => commit.committedAt),
    ...incidents.flatMap((incident) => [incident.openedAt, incident.closedAt ?? incident.openedAt]),
  ];
  await markWeeksDirty(ref, installationId, [...new Set(times.map((at) => isoWeek(at)))], now);
}

/** The default branch's commits as stored, oldest first. */
export async function repositoryBranch(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
): Promise<string[]> {
  const { partition, sortPrefix } = keys.branchOf(installationId, repositoryId);
  const items = await queryAll<{ sha: string }>(ref, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': partition, ':prefix': sortPrefix },
    ProjectionExpression: 'sha',
  });
  return items.map((item) => item.sha);
}

/** The repository's stored incidents. */
export async function repositoryIncidents(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
): Promise<Incident[]> {
  const { partition, sortPrefix } = keys.incidentsOf(installationId, repositoryId);
  const items = await queryAll<Incident & Record<string, unknown>>(ref, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': partition, ':prefix': sortPrefix },
  });
  return items.map(({ number, title, body, labels, openedAt, closedAt }) => ({
    number,
    title,
    body,
    labels,
    openedAt,
    closedAt,
  }));
}
