import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { deliveryEventWeeks, deliveryLookback } from '../metrics/delivery-week.ts';
import type { Deployment, Release } from '../metrics/deployment.ts';
import { type Incident, isIncident } from '../metrics/production-history.ts';
import { weeksBetween } from '../metrics/weeks.ts';
import { table } from '../resources.ts';
import { deploymentItems } from './deployments.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { keys } from './keys.ts';
import { releaseItem } from './releases.ts';
import { batchWrite, queryAll, type TableRef } from './table.ts';
import { queryTimeRange } from './time-range.ts';

/** The weeks whose deployments can ship a commit made then: up to the lookback after it, not past now. */
function committedWeeks(at: string, now: Date): string[] {
  const from = Date.parse(at);
  return weeksBetween(from, Math.min(from + deliveryLookback.beforeMs, now.getTime()));
}

/** An issue body is kept to its first 4,000 characters: enough for the ids and SHAs an incident names. */
const incidentBodyLimit = 4_000;

/**
 * An incident's item: its facts in a map of their own, as `openedAt` and
 * `closedAt` at the top level would be the team indexes' sort keys (and an
 * open incident's null a type the index refuses).
 */
function incidentItem(installationId: number, repositoryId: number, incident: Incident) {
  return {
    ...keys.incident(installationId, repositoryId, incident.number),
    incident: { ...incident, body: incident.body?.slice(0, incidentBodyLimit) ?? null },
  };
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
  releases: Release[];
  branch: BranchCommit[];
  /** Issues of the page; the store keeps those its installation counts as incidents. */
  issues: Incident[];
}

/**
 * Stores one page of a repository's delivery stream: its deployments with
 * their statuses, its releases, its default-branch commits at their
 * places, and the issues whose labels match the installation's incident
 * pattern. Every item is written whole from GitHub's facts, so a page read
 * twice (a crash before the checkpoint moved) changes nothing; the weeks
 * they touch are marked for the rollup.
 */
export async function recordDeliveryPage(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  page: DeliveryFacts,
  incidentLabelPattern: string,
  now: Date,
): Promise<void> {
  const { installationId, repositoryId } = repository;
  const incidents = page.issues.filter((issue) => isIncident(issue.labels, incidentLabelPattern));
  const items = [
    ...page.deployments.flatMap(deploymentItems),
    ...page.releases.map(releaseItem),
    ...page.branch.map((commit) => ({
      ...keys.branchCommit(installationId, repositoryId, commit),
      ...commit,
    })),
    ...incidents.map((incident) => incidentItem(installationId, repositoryId, incident)),
  ];
  await batchWrite(
    ref,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
  // When deployments were made or changed state, and releases published.
  const deployedTimes = [
    ...page.deployments.flatMap((deployment) => [
      deployment.createdAt,
      ...deployment.statuses.map((status) => status.createdAt),
    ]),
    ...page.releases.map((release) => release.publishedAt),
  ];
  await markWeeksDirty(
    ref,
    installationId,
    [
      ...new Set([
        ...deliveryEventWeeks(deployedTimes),
        ...incidents.flatMap(incidentWeeks),
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
  const items = await queryTimeRange<BranchCommit>(
    ref,
    { installationId, repositoryId },
    'BRANCH',
    between,
    ['position', 'sha', 'committedAt'],
  );
  return items.sort((a, b) => a.position - b.position);
}

/** Stores an incident as an issue event shows it, and marks the weeks it can change. */
export async function recordIncident(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  incident: Incident,
  now: Date,
): Promise<void> {
  const { installationId, repositoryId } = repository;
  await ref.db.send(
    new PutCommand({
      TableName: ref.tableName,
      Item: incidentItem(installationId, repositoryId, incident),
    }),
  );
  await markWeeksDirty(ref, installationId, incidentWeeks(incident), now);
}

/**
 * Forgets an issue that is no longer an incident; true when there was one
 * to forget. Its weeks are marked before it goes, so a crash between the
 * two leaves it for the redelivery to find and mark again.
 */
export async function forgetIncident(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  number: number,
  now: Date,
): Promise<boolean> {
  const { installationId, repositoryId } = repository;
  const Key = keys.incident(installationId, repositoryId, number);
  const { Item } = await ref.db.send(new GetCommand({ TableName: ref.tableName, Key }));
  if (!Item) return false;
  await markWeeksDirty(ref, installationId, incidentWeeks(Item.incident as Incident), now);
  await ref.db.send(new DeleteCommand({ TableName: ref.tableName, Key }));
  return true;
}

const incidentWeeks = (incident: Incident) =>
  deliveryEventWeeks([incident.openedAt, incident.closedAt ?? incident.openedAt]);

/** The repository's stored incidents. */
export async function repositoryIncidents(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
): Promise<Incident[]> {
  const { partition, sortPrefix } = keys.incidentsOf(installationId, repositoryId);
  const items = await queryAll<{ incident: Incident }>(ref, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': partition, ':prefix': sortPrefix },
  });
  return items.map((item) => item.incident);
}
