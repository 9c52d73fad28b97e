import { deliveryLookback } from '../metrics/delivery-week.ts';
import { finishedWeek, weekBounds } from '../metrics/time-zone.ts';
import type { FollowUp, SyncedRepository } from './checkpoint.ts';

/**
 * Recent first: an installation's first backfill reads the recent part of
 * every repository — the current and the last two finished weeks' PRs and
 * delivery, and all the last finished week's figures read — before any
 * repository's deeper history. A
 * repository's run pauses at the recent edge (its `deep` phase waits for
 * the installation's other repositories to reach theirs), and once all
 * have, the last finished week is rolled up; then the deep backfill goes on.
 */

const day = 86_400_000;

/**
 * Where a first backfill's recent part ends: the start of the last finished
 * week, less the 30 days its delivery figures look back (the deployments
 * before it, the changes they shipped), less a day each side for the time
 * zones weeks are cut in. A PR or delivery fact last updated before it
 * cannot change that week's row; the week before's flow figures read
 * nothing before it either.
 */
export function recentEdge(nowMs: number): string {
  const week = finishedWeek(new Date(nowMs - day), 'UTC');
  return new Date(
    weekBounds(week, 'UTC').start.getTime() - day - deliveryLookback.beforeMs,
  ).toISOString();
}

/** A backfill of a window reaching past the recent edge runs in two phases; any other run in one. */
export function firstPhase(windowStart: string | null, edge: string): 'recent' | null {
  return windowStart === null || Date.parse(windowStart) < Date.parse(edge) ? 'recent' : null;
}

/**
 * After a chunk of a run's recent phase: whether every stream has been read
 * back past the edge — the pull request pages (newest update first), the
 * further pages of every PR updated since the edge, and each delivery
 * connection (`readBackTo`: null once all are read to the run's start).
 */
export function pastRecentEdge(
  edge: string,
  pullRequests: { pagesRead: boolean; oldestSeen: string | null; followUps: readonly FollowUp[] },
  delivery: { readBackTo: string | null } | null,
): boolean {
  const before = (at: string | null | undefined) =>
    Boolean(at) && Date.parse(at as string) < Date.parse(edge);
  const pages = pullRequests.pagesRead || before(pullRequests.oldestSeen);
  // A follow-up with no time is from a run that did not record them: it waits, to be safe.
  const followUps = pullRequests.followUps.every((followUp) => before(followUp.updatedAt));
  const deliveryRead = delivery === null || delivery.readBackTo === null;
  return pages && followUps && (deliveryRead || before(delivery?.readBackTo));
}

/**
 * Whether a repository's stored history holds its recent part: its first
 * backfill reached the deep phase, or some sync of it completed — or it
 * failed for good, and nothing more will come of it.
 */
export function hasRecentHistory(repository: SyncedRepository): boolean {
  return (
    repository.syncPhase === 'deep' ||
    Boolean(repository.syncWatermark) ||
    repository.syncStatus === 'failed'
  );
}
