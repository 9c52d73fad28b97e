import { finishedWeek } from '../metrics/time-zone.ts';
import type { RollupJob } from '../queue/rollup-job.ts';
import { getInstallation, installationTimeZone, listRepositories } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';
import type { SyncedRepository } from './checkpoint.ts';
import { hasRecentHistory } from './recent-history.ts';

/**
 * Once every active repository of an installation has its recent history
 * stored, its finished week is rolled up now rather than at the next
 * hourly run — the job also recomputes every week its syncs marked. The
 * repositories are read consistently after the caller's own state was
 * written, so of two runs reaching theirs at once at least one sees both;
 * when both do, the second job, under the same key, recomputes the same
 * rows. Returns the job queued, if one was.
 */
export async function rollUpOnceRecent(
  table: TableRef,
  installationId: number,
  now: Date,
  queue: (job: RollupJob) => Promise<void>,
): Promise<RollupJob | null> {
  const repositories = (await listRepositories(table, installationId, {
    consistent: true,
  })) as SyncedRepository[];
  const active = repositories.filter((repository) => repository.active);
  if (active.length === 0 || !active.every(hasRecentHistory)) return null;
  const installation = await getInstallation(table, installationId);
  if (installation?.status !== 'active') return null;
  const week = finishedWeek(now, installationTimeZone(installation));
  const job: RollupJob = {
    version: 1,
    kind: 'rollup',
    idempotencyKey: `rollup:${installationId}:recent-history:${week}`,
    installationId,
    week,
    digest: false,
    requestedAt: now.toISOString(),
  };
  await queue(job);
  return job;
}
