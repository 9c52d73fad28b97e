import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { deliveryEventWeeks, deliveryLookback } from '../metrics/delivery-week.ts';
import type { Deployment, Release } from '../metrics/deployment.ts';
import { type Incident, isIncident } from '../metrics/production-history.ts';
import { weeksBetween } from '../metrics/weeks.ts';
import { table } from '../resources.ts';
import { deploymentItems } from './deployments.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { keys } from './keys.ts';
import { releaseItem } from './releases.ts';
import {
  batchWrite,
  ignoreConditionFailure,
  isConditionFailure,
  notNewerThan,
  queryAll,
  type TableRef,
} from './table.ts';
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
 * `closedAt` at the top level would be the week indexes' sort keys (and an
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

/**
 * What orders the events of one issue: GitHub's `updated_at` of the issue as
 * the event showed it, kept on its item as `updatedAt` — an incident's, or,
 * for an issue that is not one, a mark with no `incident` — so an older copy
 * (GitHub's redelivery, an operator's, a replayed body under a new delivery
 * id) changes nothing; an equal one applies, so a redelivery after a crash
 * finishes what its first attempt began. A deleted or transferred issue's
 * mark says `gone`, and that is final (its number is never used again in the
 * repository). Items the sync wrote carry no `updatedAt`: any event applies.
 */
const issueOrdered = `attribute_not_exists(gone) AND ${notNewerThan('updatedAt', ':updatedAt')}`;

/**
 * Stores an incident as an issue event shows it, and marks the weeks it can
 * change; `stale` (nothing written, nothing marked) when the event is older.
 */
export async function recordIncident(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  incident: Incident,
  updatedAt: string,
  now: Date,
): Promise<'written' | 'stale'> {
  const { installationId, repositoryId } = repository;
  try {
    await ref.db.send(
      new PutCommand({
        TableName: ref.tableName,
        Item: { ...incidentItem(installationId, repositoryId, incident), updatedAt },
        ConditionExpression: issueOrdered,
        ExpressionAttributeValues: { ':updatedAt': updatedAt },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return 'stale';
    throw error;
  }
  await markWeeksDirty(ref, installationId, incidentWeeks(incident), now);
  return 'written';
}

/**
 * Forgets an issue that is not, or no longer, an incident: its item becomes
 * a mark of the event's time (and of its being gone), so an older event of
 * it cannot store it again. The time moves first, which also reads what was
 * stored; then the weeks of a stored incident are marked, then it goes —
 * unless a newer event has moved the time on meanwhile. A crash between
 * leaves the incident for the redelivery (of equal time) to find again.
 */
export async function forgetIncident(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  number: number,
  issue: { updatedAt: string; gone: boolean },
  now: Date,
): Promise<'forgotten' | 'not stored' | 'stale'> {
  const { installationId, repositoryId } = repository;
  const Key = keys.incident(installationId, repositoryId, number);
  const values = { ':updatedAt': issue.updatedAt };
  let stored: Incident | undefined;
  try {
    const { Attributes } = await ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key,
        UpdateExpression: `SET updatedAt = :updatedAt${issue.gone ? ', gone = :gone' : ''}`,
        // A gone issue is final whatever its time: nothing older or newer can follow it.
        ...(issue.gone ? {} : { ConditionExpression: issueOrdered }),
        ExpressionAttributeValues: issue.gone ? { ...values, ':gone': true } : values,
        ReturnValues: 'ALL_OLD',
      }),
    );
    stored = Attributes?.incident as Incident | undefined;
  } catch (error) {
    if (isConditionFailure(error)) return 'stale';
    throw error;
  }
  if (!stored) return 'not stored';
  await markWeeksDirty(ref, installationId, incidentWeeks(stored), now);
  await ref.db
    .send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key,
        UpdateExpression: 'REMOVE incident',
        ConditionExpression: 'updatedAt = :updatedAt',
        ExpressionAttributeValues: values,
      }),
    )
    .catch(ignoreConditionFailure);
  return 'forgotten';
}

const incidentWeeks = (incident: Incident) =>
  deliveryEventWeeks([incident.openedAt, incident.closedAt ?? incident.openedAt]);

/** The repository's stored incidents (not the marks of issues that are none). */
export async function repositoryIncidents(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
): Promise<Incident[]> {
  const { partition, sortPrefix } = keys.incidentsOf(installationId, repositoryId);
  const items = await queryAll<{ incident: Incident }>(ref, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    FilterExpression: 'attribute_exists(incident)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': partition, ':prefix': sortPrefix },
  });
  return items.map((item) => item.incident);
}
