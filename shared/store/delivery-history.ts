import { deliveryEventWeeks, deliveryLookback } from '../metrics/delivery-week.ts';
import type { Deployment } from '../metrics/deployment.ts';
import type { Incident } from '../metrics/production-history.ts';
import { weeksBetween } from '../metrics/weeks.ts';
import { table } from '../resources.ts';
import { deploymentItems } from './deployments.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { keys } from './keys.ts';
import { batchWrite, queryAll, type TableRef } from './table.ts';

/** The weeks whose deployments can ship a commit made then: up to the lookback after it, not past now. */
function committedWeeks(at: string, now: Date): string[] {
  const from = Date.parse(at);
  return weeksBetween(from, Math.min(from + deliveryLookback.beforeMs, now.getTime()));
}

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
      ...keys.branchCommit(installationId, repositoryId, commit),
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
  const events = [
    ...page.deployments.flatMap((deployment) => [
      deployment.createdAt,
      ...deployment.statuses.map((status) => status.createdAt),
    ]),
    ...incidents.flatMap((incident) => [incident.openedAt, incident.closedAt ?? incident.openedAt]),
  ];
  await markWeeksDirty(
    ref,
    installationId,
    [
      ...new Set([
        ...deliveryEventWeeks(events),
        ...page.branch.flatMap((commit) => committedWeeks(commit.committedAt, now)),
      ]),
    ],
    now,
  );
}

/**
 * The default branch's stored commits committed between two times (all
 * without them), in their order on the branch.
 */
export async function repositoryBranch(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
  between?: { from: Date; to: Date },
): Promise<BranchCommit[]> {
  const range = keys.timeRange(installationId, repositoryId, 'BRANCH', between);
  const items = await queryAll<BranchCommit>(ref, {
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    // "position" is one of DynamoDB's reserved words.
    ExpressionAttributeNames: {
      '#pk': table.partitionKey,
      '#sk': table.sortKey,
      '#position': 'position',
    },
    ExpressionAttributeValues: { ':pk': range.partition, ':from': range.from, ':to': range.to },
    ProjectionExpression: '#position, sha, committedAt',
  });
  return items.sort((a, b) => a.position - b.position);
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
