import {
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency.ts';
import type { Window } from '../metrics/flow-metrics.ts';
import {
  type Assignee,
  openedAt,
  type PullRequestFacts,
  type ReviewFacts,
  type StoredPullRequest,
} from '../metrics/pull-request.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { putReviewItems, withAllReviews } from './pull-request-reviews.ts';
import { assignments, isConditionFailure, notNewerThan, queryAll, type TableRef } from './table.ts';

/** gsi1 (its open set), byOpened and byClosed. */
const [openIndex, openedIndex, closedIndex] = table.indexes;

/**
 * The attributes that put a PR on gsi1's open set, the byOpened and byClosed indexes, and
 * those it must not carry: index keys must be strings, so a draft has no
 * `openedAt` and an open PR no `closedAt` (read back as absent, meaning null).
 */
function indexAttributes(facts: PullRequestFacts): {
  present: Record<string, string>;
  absent: string[];
} {
  const installation = keys.installationPullRequests(facts.installationId);
  const opened = openedAt(facts);
  // Open and ready: on gsi1 under the installation's open set, which the waiting list reads.
  const waiting = facts.state === 'open' && !facts.draft;
  return {
    present: {
      ...(opened ? { openedAt: opened, teamOpened: installation } : {}),
      ...(facts.closedAt ? { closedAt: facts.closedAt, teamClosed: installation } : {}),
      ...(waiting
        ? {
            [openIndex.partitionKey]: keys.openPullRequests(facts.installationId),
            [openIndex.sortKey]: opened ?? facts.createdAt,
          }
        : {}),
    },
    absent: [
      ...(opened ? [] : ['openedAt', 'teamOpened']),
      ...(facts.closedAt ? [] : ['closedAt', 'teamClosed']),
      ...(waiting ? [] : [openIndex.partitionKey, openIndex.sortKey]),
    ],
  };
}

/**
 * A synced pull request as an item: its facts, keyed, on the indexes it
 * belongs to. Its installation and repository are in its key only: every
 * rollup reads each PR of its week twice (opened and closed indexes), and
 * DynamoDB bills those reads by the item's size (`pullRequestFromItem`
 * reads them back).
 */
export function pullRequestItem(facts: StoredPullRequest): Record<string, unknown> {
  const { closedAt, installationId, repositoryId, ...rest } = facts;
  return {
    ...keys.pullRequest(facts.installationId, facts.repositoryId, facts.number),
    ...rest,
    // Kept apart, the reviews are items of their own.
    ...(facts.reviewsApart ? { reviews: {} } : {}),
    ...indexAttributes(facts).present,
  };
}

/**
 * Upserts a pull request's facts unless the stored copy is newer: webhooks
 * arrive out of order, and an older payload must not undo a newer one.
 * Fields the source lacks (size facts on a review event) are left as stored,
 * and so is a ready-for-review time it cannot know. Reviews are folded into
 * the item as a map keyed by review id, so a rollup reads one item per PR.
 */
export async function upsertPullRequest(
  { db, tableName }: TableRef,
  facts: PullRequestFacts,
): Promise<'written' | 'stale'> {
  const { closedAt, installationId, repositoryId, ...rest } = facts;
  const index = indexAttributes(facts);
  const { openedAt: opened, ...otherIndexAttributes } = index.present;
  const set = assignments({ ...rest, ...otherIndexAttributes });
  if (opened) {
    // A payload that does not know when the PR became ready says "created";
    // a better time already stored (from a sync or ready_for_review) stays.
    set.clauses.push(
      facts.readyAt ? 'openedAt = :openedAt' : 'openedAt = if_not_exists(openedAt, :openedAt)',
    );
    set.values[':openedAt'] = opened;
  }
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.pullRequest(facts.installationId, facts.repositoryId, facts.number),
        UpdateExpression: `SET ${set.clauses.join(', ')}, reviews = if_not_exists(reviews, :emptyReviews)${index.absent.length > 0 ? ` REMOVE ${index.absent.join(', ')}` : ''}`,
        ConditionExpression: notNewerThan('#updatedAt', ':updatedAt'),
        ExpressionAttributeNames: { ...set.names, '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: {
          ...set.values,
          ':emptyReviews': {},
          ':updatedAt': facts.updatedAt,
        },
      }),
    );
    return 'written';
  } catch (error) {
    if (isConditionFailure(error)) return 'stale';
    throw error;
  }
}

/** A chunk's PRs are written at once: each is its own conditional request (a batch write takes no conditions). */
const writeConcurrency = 50;

/**
 * Stores synced pull requests whole (the sync's copy, fetched from GitHub, is
 * complete) — unless the stored copy is newer: a webhook that arrived while
 * the sync ran keeps its state, as an older webhook keeps a newer one's.
 * Writing the same chunk again yields the same items.
 */
export async function putPullRequests(
  ref: TableRef,
  pullRequests: readonly StoredPullRequest[],
): Promise<void> {
  await mapWithConcurrency(pullRequests, writeConcurrency, async (facts) => {
    try {
      await ref.db.send(
        new PutCommand({
          TableName: ref.tableName,
          Item: pullRequestItem(facts),
          ConditionExpression: notNewerThan('#updatedAt', ':updatedAt'),
          ExpressionAttributeNames: { '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':updatedAt': facts.updatedAt },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw error;
    }
    if (facts.reviewsApart) await putReviewItems(ref, facts, Object.values(facts.reviews));
  });
}

/** More reviews and commits (and an AI agent's assignees) of a stored PR, read as its `followUp` mark said. */
export interface FollowUpMerge {
  number: number;
  /** The mark the page was read from. */
  from: string;
  /** The mark afterwards; undefined when the PR is now complete. */
  to: string | undefined;
  reviews: readonly ReviewFacts[];
  commitDates: readonly string[];
  coAuthors: readonly string[];
  /** The people assigned to it, when the page read them: they replace what was stored. */
  assignees?: readonly Assignee[] | undefined;
}

/** What merging a follow-up left. */
export interface MergedFollowUp {
  /** The PR's mark as it now stands: what is left to read. */
  mark: string | undefined;
  /**
   * When this merge gave the PR its assignees, the PR's times: the teams it
   * counts for changed, so its weeks are to be rolled up again — the sync
   * may have waited out a rate limit since it stored the PR.
   */
  assigned?: { createdAt: string; mergedAt: string | null; closedAt: string | null };
}

/**
 * Merges a follow-up page into its stored pull request exactly once: the
 * write holds only while the PR still carries the mark the page was read
 * from, and moves the mark on. Returns the PR's mark as it now stands — what
 * is left to read — which for a chunk redone after a crash is where the
 * first attempt left it.
 */
export async function mergeFollowUp(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  merge: FollowUpMerge,
): Promise<MergedFollowUp> {
  const { db, tableName } = ref;
  const key = keys.pullRequest(repository.installationId, repository.repositoryId, merge.number);
  // More reviews than one page: the PR keeps them apart, each its own item (written again, the same).
  await putReviewItems(ref, { ...repository, number: merge.number }, merge.reviews);
  const values: Record<string, unknown> = { ':from': merge.from };
  const set: string[] = [];
  const appended = (['commitDates', 'coAuthors'] as const).filter((f) => merge[f].length > 0);
  for (const field of appended) {
    values[`:${field}`] = merge[field];
    set.push(`${field} = list_append(if_not_exists(${field}, :none), :${field})`);
  }
  if (appended.length > 0) values[':none'] = [];
  if (merge.assignees) {
    values[':assignees'] = merge.assignees;
    set.push('assignees = :assignees');
  }
  if (merge.to) {
    values[':to'] = merge.to;
    set.push('followUp = :to');
  }
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: [
          set.length > 0 ? `SET ${set.join(', ')}` : '',
          merge.to ? '' : 'REMOVE followUp',
        ].join(' '),
        ConditionExpression: 'followUp = :from',
        ExpressionAttributeValues: values,
        // Only an AI agent's PR has its assignees merged, and only then are its times wanted.
        ReturnValues: merge.assignees ? 'ALL_NEW' : 'NONE',
      }),
    );
    if (!Attributes) return { mark: merge.to };
    const { createdAt, mergedAt, closedAt } = Attributes as Partial<StoredPullRequest>;
    return {
      mark: merge.to,
      assigned: {
        createdAt: createdAt ?? '',
        mergedAt: mergedAt ?? null,
        closedAt: closedAt ?? null,
      },
    };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    return { mark: Item?.followUp as string | undefined };
  }
}

/** GitHub's timestamps have whole seconds; a second of slack each side, filtered exactly by the metrics. */
const second = 1000;
const bound = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A stored pull request from its item: the installation and repository
 * from its key (items written before they left the attributes carry the
 * same values), no close time read as null.
 */
export function pullRequestFromItem(item: Record<string, unknown>): StoredPullRequest {
  return {
    ...(item as unknown as StoredPullRequest),
    ...keys.pullRequestOwner(String(item[table.partitionKey])),
    closedAt: (item.closedAt as string | undefined) ?? null,
  };
}

/** Whether `weekPullRequests(window)` reads this PR: what a read of a wider window keeps for this one. */
export function readForWindow(pr: StoredPullRequest, window: Window): boolean {
  const inRange = (at: string | null | undefined) =>
    at != null &&
    Date.parse(at) >= window.start.getTime() - second &&
    Date.parse(at) <= window.end.getTime() + second;
  return inRange(openedAt(pr)) || inRange(pr.closedAt);
}

/** The bounds of a week index's range read of the window: a second of slack each side. */
function indexBounds(window: Window) {
  return {
    start: bound(window.start.getTime() - second),
    end: bound(window.end.getTime() + second),
  };
}

/** Whether `mergedPullRequests(window)` reads this PR: what a read of a wider window keeps for this one. */
export function mergedWithin(pr: StoredPullRequest, window: Window): boolean {
  const { start, end } = indexBounds(window);
  return Boolean(pr.mergedAt) && pr.closedAt != null && pr.closedAt >= start && pr.closedAt <= end;
}

/** An installation's PRs whose time on one of the week indexes falls within the window (a second of slack each side). */
async function indexRange(
  ref: TableRef,
  installationId: number,
  index: { name: string; partitionKey: string; sortKey: string } | undefined,
  window: Window,
) {
  if (!index) throw new Error('table definition lacks the week indexes');
  const items = await queryAll<Record<string, unknown>>(ref, {
    IndexName: index.name,
    KeyConditionExpression: '#installation = :installation AND #at BETWEEN :start AND :end',
    ExpressionAttributeNames: { '#installation': index.partitionKey, '#at': index.sortKey },
    ExpressionAttributeValues: {
      ':installation': keys.installationPullRequests(installationId),
      ':start': indexBounds(window).start,
      ':end': indexBounds(window).end,
    },
  } satisfies Omit<QueryCommandInput, 'TableName'>);
  return items.map(pullRequestFromItem);
}

/**
 * The pull requests a week's rollup needs — entered review, or closed, within
 * the window — as two range queries on the installation's week indexes: the read grows
 * with the week's PRs, never with the table.
 */
export async function weekPullRequests(
  ref: TableRef,
  installationId: number,
  week: Window,
): Promise<StoredPullRequest[]> {
  const [opened, closed] = await Promise.all([
    indexRange(ref, installationId, openedIndex, week),
    indexRange(ref, installationId, closedIndex, week),
  ]);
  const unique = new Map<string, StoredPullRequest>();
  for (const pr of [...opened, ...closed]) unique.set(`${pr.repositoryId}/${pr.number}`, pr);
  return withAllReviews(ref, [...unique.values()]);
}

/** The installation's PRs merged within the window (without their reviews): the changes deployments ship. */
export async function mergedPullRequests(
  ref: TableRef,
  installationId: number,
  window: Window,
): Promise<StoredPullRequest[]> {
  const closed = await indexRange(ref, installationId, closedIndex, window);
  return closed.filter((pr) => pr.mergedAt);
}

/**
 * How many of the repository's pull requests are stored with a last update
 * at or after `since` (all of them without it): the completeness check's
 * side of the count (`sync/completeness.ts`). One Query of the repository's
 * partition, once a day (DynamoDB bills the items read whole, though only
 * their last update comes back); the times
 * are compared as instants (the sync's and the webhooks' spell them alike,
 * but a copy with milliseconds must not fall out of the window).
 */
export async function countPullRequestsSince(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  since: string | null,
): Promise<number> {
  const { partition, sortPrefix } = keys.pullRequestsOf(
    repository.installationId,
    repository.repositoryId,
  );
  const items = await queryAll<{ updatedAt?: string }>(ref, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ProjectionExpression: 'updatedAt',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': partition, ':prefix': sortPrefix },
  });
  const from = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
  return items.filter((item) => item.updatedAt && Date.parse(item.updatedAt) >= from).length;
}
