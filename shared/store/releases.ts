import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { deliveryEventWeeks } from '../metrics/delivery-week.ts';
import type { Release } from '../metrics/deployment.ts';
import { table } from '../resources.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { keys } from './keys.ts';
import type { TableRef } from './table.ts';
import { queryTimeRange } from './time-range.ts';

/** A release's item: its facts, keyed by when it was published. */
export function releaseItem(release: Release): Record<string, unknown> {
  return { ...keys.release(release.installationId, release.repositoryId, release), ...release };
}

/**
 * A repository's releases published between two times (all without them),
 * in the order they were published: a range read, as for deployments.
 */
export async function repositoryReleases(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
  between?: { from: Date; to: Date },
): Promise<Release[]> {
  const items = await queryTimeRange<Release & Record<string, unknown>>(
    ref,
    { installationId, repositoryId },
    'RELEASE',
    between,
  );
  return items.map(({ [table.partitionKey]: _pk, [table.sortKey]: _sk, ...release }) => release);
}

/**
 * Forgets a release that was deleted or unpublished (made a draft again),
 * and marks the weeks it counted in; false when none of that id was stored.
 * Found among the repository's releases, as its key holds when it was
 * published — which an unpublished release's event no longer says. Each
 * publication is an item of its own, keyed by its time, so one withdrawn
 * `before` a time (an `unpublished` event's) leaves those published again
 * after it: an older `unpublished` arriving late changes nothing. The weeks
 * are marked before the release goes, so a crash between the two leaves it
 * for the redelivery to find and mark again.
 */
export async function forgetRelease(
  ref: TableRef,
  repository: { installationId: number; repositoryId: number },
  releaseId: number,
  now: Date,
  before?: string,
): Promise<boolean> {
  const { installationId, repositoryId } = repository;
  const withdrawn = (release: Release) =>
    before === undefined || Date.parse(release.publishedAt) <= Date.parse(before);
  const stored = (await repositoryReleases(ref, installationId, repositoryId)).filter(
    (release) => release.releaseId === releaseId && withdrawn(release),
  );
  if (stored.length === 0) return false;
  await markWeeksDirty(
    ref,
    installationId,
    deliveryEventWeeks(stored.map((release) => release.publishedAt)),
    now,
  );
  for (const release of stored) {
    await ref.db.send(
      new DeleteCommand({
        TableName: ref.tableName,
        Key: keys.release(installationId, repositoryId, release),
      }),
    );
  }
  return true;
}
