import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type HolidaysJob, holidaysJob } from '../queue/holidays-job.ts';
import {
  type HolidayRegion,
  holidaysRunOut,
  type ResolvedHolidays,
} from '../working-time/calendar.ts';
import { getInstallation, listInstallations } from './installations.ts';
import { keys } from './keys.ts';
import { markRecentWeeks, retryOnSettingsConflict, settingsVersion } from './settings-version.ts';
import type { TableRef } from './table.ts';
import { readTeam, readTeams } from './teams.ts';
import type { StoredCalendar } from './working-calendars.ts';

export type HolidayResolution = 'resolved' | 'nothing due';

/**
 * Stores the dates of a scope's public holidays where they are due: not
 * stored yet, or stopping before the end of next year (`holidaysRunOut`).
 * Resolved by `resolve` for the calendar's region as read, and written only while the
 * scope's settings are still at the version read — a save in between (a new
 * region, a cleared calendar) fails the condition and the calendar is read
 * again, so an older job never writes dates over a newer calendar. It sets
 * the dates alone and leaves the version as it is: a settings form loaded
 * meanwhile can still be saved. Then, as a calendar change does, the recent
 * weeks are marked to be rolled up again, now counting the holidays.
 */
export async function resolveDueHolidays(
  ref: TableRef,
  job: Pick<HolidaysJob, 'installationId' | 'teamId'>,
  /** A region's dates, as public-holidays.ts resolves them (`resolveRegion`). */
  resolve: (region: HolidayRegion) => ResolvedHolidays,
  now: Date,
): Promise<HolidayResolution> {
  const { installationId, teamId } = job;
  const outcome = await retryOnSettingsConflict(async () => {
    const installation = await getInstallation(ref, installationId);
    if (!installation?.accountLogin) return undefined;
    const team = teamId === undefined ? undefined : await readTeam(ref, installationId, teamId);
    if (teamId !== undefined && (!team || team.deletedAt !== null)) return undefined;
    const calendar = team ? team.settings.workingCalendar : installation.workingCalendar;
    if (!calendar?.holidays || !holidaysRunOut(calendar, now)) return undefined;
    const publicHolidays = resolve(calendar.holidays);
    const version = team ? team.settings.settingsVersion : settingsVersion(installation);
    await ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: team ? keys.team(installationId, team.teamId) : keys.installation(installationId),
        UpdateExpression: 'SET workingCalendar.publicHolidays = :dates',
        ConditionExpression: `${team ? 'attribute_not_exists(deletedAt)' : 'attribute_exists(accountLogin)'} AND (attribute_not_exists(settingsVersion) OR settingsVersion = :version) AND attribute_exists(workingCalendar.holidays)`,
        ExpressionAttributeValues: { ':dates': publicHolidays, ':version': version },
      }),
    );
    return installation;
  });
  if (!outcome) return 'nothing due';
  await markRecentWeeks(ref, outcome, now);
  return 'resolved';
}

/**
 * The day's holiday jobs (the reconciliation's): one for each scope — an
 * active installation, a team of one — whose holidays are due
 * (`resolveDueHolidays`). So a job lost after a save (a crash before it was
 * sent, its dead-letter queue) is sent again the next day, and no calendar
 * runs out of dates.
 */
export async function dueHolidayJobs(ref: TableRef, now: Date): Promise<HolidaysJob[]> {
  const occasion = `reconcile:${now.toISOString().slice(0, 10)}`;
  const jobs: HolidaysJob[] = [];
  for (const installation of await listInstallations(ref)) {
    if (installation.status !== 'active') continue;
    const { installationId } = installation;
    const due = (calendar: StoredCalendar | undefined) =>
      calendar !== undefined && holidaysRunOut(calendar, now);
    if (due(installation.workingCalendar))
      jobs.push(holidaysJob({ installationId }, occasion, now));
    const { teams } = await readTeams(ref, installationId, 'no team');
    for (const team of teams)
      if (team.deletedAt === null && due(team.settings.workingCalendar))
        jobs.push(holidaysJob({ installationId, teamId: team.teamId }, occasion, now));
  }
  return jobs;
}
