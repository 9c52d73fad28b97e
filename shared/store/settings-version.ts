import { finishedWeek, shiftWeek } from '../metrics/time-zone.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { type InstallationRecord, installationTimeZone } from './installations.ts';
import { isConditionFailure, type TableRef } from './table.ts';

/**
 * What every change of a scope's settings goes through: its version, the
 * retry when another change landed first, and the recent weeks it marks to
 * be rolled up again. Apart from settings.ts, whose change schemas compile
 * delivery patterns (RE2, 150 KB), so that the holidays function, which
 * stores dates and marks weeks, does not bundle them.
 */

/** Finished weeks whose delivery figures a changed delivery rule recomputes: a quarter, the dashboard's trends. */
export const weeksRerolledOnRuleChange = 12;

/** Which change of its settings an installation is at: every save and unsubscribe counts one. */
export function settingsVersion(installation: Pick<InstallationRecord, 'settingsVersion'>): number {
  return installation.settingsVersion ?? 0;
}

/** Marks the installation's last finished weeks, in its time zone, for the rollup. */
export async function markRecentWeeks(
  ref: TableRef,
  installation: InstallationRecord,
  now: Date,
): Promise<void> {
  const last = finishedWeek(now, installationTimeZone(installation));
  const weeks = Array.from({ length: weeksRerolledOnRuleChange }, (_, back) =>
    shiftWeek(last, -back),
  );
  await markWeeksDirty(ref, installation.installationId, weeks, now);
}

/**
 * Runs a read-then-conditional-write of the settings again when another
 * change landed between the two (the version condition failed), up to five tries.
 */
export async function retryOnSettingsConflict<T>(readAndWrite: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readAndWrite();
    } catch (error) {
      if (!isConditionFailure(error) || attempt >= 5) throw error;
    }
  }
}
