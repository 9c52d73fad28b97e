import { rollupWeek } from '../metrics/rollup.ts';
import { weekBounds, weekIn } from '../metrics/time-zone.ts';
import type { RollupJob, WeeklyDigest } from '../queue/rollup-job.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '../store/dirty-weeks.ts';
import { getInstallation, installationTimeZone } from '../store/installations.ts';
import { weekPullRequests } from '../store/pull-requests.ts';
import type { TableRef } from '../store/table.ts';
import { replaceWeeklyMetrics } from '../store/weekly-metrics.ts';

export interface RollupDependencies {
  table: TableRef;
  notify: (event: WeeklyDigest) => Promise<void>;
  /** Progress, one line per week (the CLI prints it; the Lambda logs it). */
  log?: (message: string, details: Record<string, unknown>) => void;
}

/**
 * Recomputes an installation's weeks: the job's finished week and every week
 * late data marked dirty (marks are UTC weeks; each maps to the one or two
 * local weeks it overlaps). Each week's rows are overwritten whole, then the
 * marks read are cleared — unless renewed meanwhile, so data arriving during
 * the rollup is rolled up next time. Returns the weeks recomputed.
 */
export async function runRollup(job: RollupJob, deps: RollupDependencies): Promise<string[]> {
  const installation = await getInstallation(deps.table, job.installationId);
  if (!installation || installation.status === 'deleted') return [];
  const timeZone = installationTimeZone(installation);
  const marks = await listDirtyWeeks(deps.table, job.installationId);
  const weeks = new Set(job.week ? [job.week] : []);
  for (const mark of marks) {
    const { start, end } = weekBounds(mark.week, 'UTC');
    weeks.add(weekIn(start, timeZone));
    weeks.add(weekIn(end.getTime() - 1, timeZone));
  }
  const sorted = [...weeks].sort();
  for (const week of sorted) {
    const window = weekBounds(week, timeZone);
    const pullRequests = await weekPullRequests(deps.table, job.installationId, window);
    const rows = rollupWeek(installation.accountLogin, pullRequests, window);
    await replaceWeeklyMetrics(deps.table, job.installationId, week, timeZone, rows);
    deps.log?.('week rolled up', { week, pullRequests: pullRequests.length, rows: rows.length });
  }
  await clearDirtyWeeks(deps.table, job.installationId, marks);
  if (job.digest && job.week) {
    await deps.notify({
      version: 1,
      kind: 'weekly-digest',
      idempotencyKey: `digest:${job.installationId}:${job.week}`,
      installationId: job.installationId,
      week: job.week,
    });
  }
  return sorted;
}
