import type { Window } from '../metrics/flow-metrics.ts';
import { weekBounds } from '../metrics/time-zone.ts';
import { type InstallationRecord, installationTimeZone } from '../store/installations.ts';
import { teamTimeZone } from '../store/team-settings.ts';
import type { StoredTeam } from '../store/teams.ts';

/** The time zones an installation's weeks are rolled up in: its own, and its teams' own. */
export function rollupZones(
  installation: InstallationRecord,
  teams: readonly Pick<StoredTeam, 'settings'>[],
): string[] {
  return [
    ...new Set([
      installationTimeZone(installation),
      ...teams.map((team) => teamTimeZone(team, installation)),
    ]),
  ];
}

/** A week as every zone cuts it, from its first start to its last end: what one read of its facts spans. */
export function weekSpan(week: string, zones: readonly string[]): Window {
  const windows = zones.map((zone) => weekBounds(week, zone));
  return {
    start: new Date(Math.min(...windows.map((window) => window.start.getTime()))),
    end: new Date(Math.max(...windows.map((window) => window.end.getTime()))),
  };
}
