import type { ScopeAgreements } from '../metrics/agreement-shares.ts';
import { effectiveAgreements, type WorkingAgreements } from '../metrics/agreements.ts';
import { workingClock } from '../metrics/clock.ts';
import { type MetricRow, rollupWeek } from '../metrics/rollup.ts';
import { TeamDirectory } from '../metrics/team-attribution.ts';
import { teamRows } from '../metrics/team-rows.ts';
import { weekBounds, weekDays, weekIn } from '../metrics/time-zone.ts';
import type { RollupJob, WeeklyDigest } from '../queue/rollup-job.ts';
import { storedAgreements } from '../store/agreements.ts';
import { copilotDays } from '../store/copilot-usage.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '../store/dirty-weeks.ts';
import { getInstallation, installationTimeZone } from '../store/installations.ts';
import { readForWindow, weekPullRequests } from '../store/pull-requests.ts';
import type { TableRef } from '../store/table.ts';
import { teamTimeZone } from '../store/team-settings.ts';
import { readTeams } from '../store/teams.ts';
import { replaceWeeklyMetrics } from '../store/weekly-metrics.ts';
import { type CalendarSettings, effectiveCalendar, inZone } from '../store/working-calendars.ts';
import { deliveryHistories, tableSource } from './delivery-histories.ts';
import { rollupZones, weekSpan } from './week-span.ts';

export interface RollupDependencies {
  table: TableRef;
  notify: (event: WeeklyDigest) => Promise<void>;
  now: () => Date;
  /** Time left in this invocation. */
  remainingMs: () => number;
  /** Progress, one line per week (the CLI prints it; the Lambda logs it). */
  log?: (message: string, details: Record<string, unknown>) => void;
}

/**
 * A mark younger than this is rolled up but not cleared: the week indexes
 * the rollup reads lag a moment behind the PR write that made the mark, and
 * a mark cleared after reading a stale index would lose that PR; the next
 * hourly run rolls the week up again and clears it.
 */
export const settleMs = 2 * 60_000;
/** Weeks stop being taken with this much of the invocation left. */
const stopWithMs = 30_000;

/**
 * Recomputes an installation's weeks: the job's finished week first, then
 * week by week those late data marked dirty (marks are UTC weeks; each maps
 * to the one or two local weeks it overlaps), clearing each settled mark as
 * soon as its weeks are rolled up — unless it was renewed meanwhile. Marks
 * left when time runs short stay for the next hourly run, so a
 * full-history backfill is rolled up over several runs instead of timing
 * out every one. Returns the weeks recomputed.
 */
export async function runRollup(job: RollupJob, deps: RollupDependencies): Promise<string[]> {
  const installation = await getInstallation(deps.table, job.installationId);
  if (!installation || installation.status === 'deleted') return [];
  const timeZone = installationTimeZone(installation);
  // The teams and who was in each when, read once for every week of the job.
  const { teams, spells } = await readTeams(deps.table, job.installationId);
  const directory = new TeamDirectory(teams, spells);
  const zoneOfTeam = new Map(teams.map((team) => [team.teamId, teamTimeZone(team, installation)]));
  // Each scope's working calendar, set up once: the organisation's, and each team's (its own or the organisation's).
  const clockOf = (own: CalendarSettings, zone: string, follows?: CalendarSettings) => {
    const { calendar } = effectiveCalendar(own, follows);
    return calendar && workingClock(inZone(calendar, zone));
  };
  const organisationClock = clockOf(installation, timeZone);
  const teamClocks = new Map(
    teams.map((team) => [
      team.teamId,
      clockOf(team.settings, zoneOfTeam.get(team.teamId) ?? timeZone, installation),
    ]),
  );
  // Each scope's agreements and the calendar its waits count on, read once: a team's own over the organisation's.
  const organisationAgreements = storedAgreements(installation);
  const agreementsOf =
    (own: CalendarSettings, zone: string, follows?: CalendarSettings) =>
    (agreements: WorkingAgreements): ScopeAgreements => {
      const { calendar, countTime } = effectiveCalendar(own, follows);
      return {
        agreements,
        counting: calendar && countTime === 'working' ? inZone(calendar, zone) : undefined,
      };
    };
  const organisationScope = agreementsOf(installation, timeZone)(organisationAgreements);
  const teamScopes = new Map(
    teams.map((team) => [
      team.teamId,
      agreementsOf(
        team.settings,
        zoneOfTeam.get(team.teamId) ?? timeZone,
        installation,
      )(effectiveAgreements(team.agreements, organisationAgreements)),
    ]),
  );
  const zones = rollupZones(installation, teams);
  const done = new Set<string>();
  const rollUp = async (week: string) => {
    if (done.has(week)) return;
    // Each zone cuts the week differently: one read spans them all, and each zone's rows keep theirs.
    const windows = zones.map((zone) => ({ zone, window: weekBounds(week, zone) }));
    const span = weekSpan(week, zones);
    const [read, copilot, histories] = await Promise.all([
      weekPullRequests(deps.table, job.installationId, span),
      copilotDays(deps.table, job.installationId, ...weekDays(week)),
      deliveryHistories(
        tableSource(deps.table, job.installationId),
        installation,
        span,
        deps.now(),
      ),
    ]);
    const rows = windows.flatMap(({ zone, window }) => {
      const pullRequests = read.filter((pr) => readForWindow(pr, window));
      const delivery = { histories, timeZone: zone };
      const zoned = (row: MetricRow) => ({ ...row, timeZone: zone });
      return [
        ...(zone === timeZone
          ? rollupWeek(
              installation.accountLogin,
              pullRequests,
              window,
              copilot,
              delivery,
              organisationClock,
              organisationScope,
            )
          : []),
        // Every team is attributed (a parent counts its children's work); the zone's own are kept.
        ...teamRows(
          directory,
          pullRequests,
          window,
          copilot,
          delivery,
          (id) => teamClocks.get(id),
          (id) => teamScopes.get(id),
        ).filter((row) => zoneOfTeam.get(Number(row.row.split('#')[1])) === zone),
      ].map(zoned);
    });
    await replaceWeeklyMetrics(deps.table, job.installationId, week, rows);
    done.add(week);
    deps.log?.('week rolled up', { week, pullRequests: read.length, rows: rows.length });
  };
  if (job.week) await rollUp(job.week);
  const settled = deps.now().getTime() - settleMs;
  const marks = (await listDirtyWeeks(deps.table, job.installationId)).sort((a, b) =>
    a.week.localeCompare(b.week),
  );
  for (const mark of marks) {
    if (deps.remainingMs() < stopWithMs) {
      deps.log?.('time is short; the other marked weeks wait for the next run', {
        left: marks.length - marks.indexOf(mark),
      });
      break;
    }
    const { start, end } = weekBounds(mark.week, 'UTC');
    for (const zone of zones) {
      await rollUp(weekIn(start, zone));
      await rollUp(weekIn(end.getTime() - 1, zone));
    }
    if (Date.parse(mark.markedAt) <= settled)
      await clearDirtyWeeks(deps.table, job.installationId, [mark]);
  }
  if (job.digest && job.week) {
    const digestZone = job.digestTimeZone ?? timeZone;
    const digest = (teamId?: number): WeeklyDigest => ({
      version: 1,
      kind: 'weekly-digest',
      idempotencyKey: `digest:${job.installationId}:${teamId === undefined ? '' : `team#${teamId}:`}${job.week}`,
      installationId: job.installationId,
      week: job.week as string,
      ...(teamId === undefined ? {} : { teamId }),
    });
    if (digestZone === timeZone) await deps.notify(digest());
    for (const team of teams)
      if (
        team.deletedAt === null &&
        team.settings.recipients.length > 0 &&
        zoneOfTeam.get(team.teamId) === digestZone
      )
        await deps.notify(digest(team.teamId));
  }
  return [...done].sort();
}
