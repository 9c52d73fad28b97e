import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { getInstallation, type InstallationRecord, installationTimeZone } from './installations.ts';
import { keys } from './keys.ts';
import {
  calendarAttributes,
  markRecentWeeks,
  recipientsSchema,
  retryOnSettingsConflict,
  StaleSettingsError,
  teamTimeZonesAttribute,
  timeZoneSchema,
  withUnsubscribeTokens,
} from './settings.ts';
import { assignments, conditionalWrite, removals, type TableRef } from './table.ts';
import { readTeam, type StoredTeam } from './teams.ts';
import {
  type CalendarSettingsChange,
  changedCalendarSettings,
  countTimeSchema,
  type HolidayResolver,
} from './working-calendars.ts';

/** What a team may change of its own settings (`npm run settings -- --team`, the settings page); omitted fields stay. */
export const teamSettingsChangeSchema = z.object({
  recipients: z.optional(recipientsSchema),
  /** null: the team follows the organisation's time zone. */
  timeZone: z.optional(z.nullable(timeZoneSchema)),
});

export type TeamSettingsChange = z.infer<typeof teamSettingsChangeSchema>;

export class UnknownTeamError extends Error {}

/** The zone a team's weeks are cut in and its digest sent by: its own, or the organisation's. */
export function teamTimeZone(
  team: Pick<StoredTeam, 'settings'>,
  installation: Pick<InstallationRecord, 'timeZone'>,
): string {
  return team.settings.timeZone ?? installationTimeZone(installation);
}

/**
 * Applies a change to a team's settings, kept on its item: recipients as
 * the organisation's are (tokens kept, addresses lower-cased), conditional
 * on the team's settings version read — and with `loadedVersion` (a form's)
 * only over the settings the form showed (StaleSettingsError otherwise).
 * A team in a zone of its own is also named in the installation's
 * `teamTimeZones`, which the hourly dispatcher reads to know whose Monday
 * morning it is; that map is written before the team when a zone is set (a
 * crash between costs a run that finds no digest due) and after it when one
 * is cleared.
 */
export async function updateTeamSettings(
  ref: TableRef,
  installationId: number,
  teamId: number,
  change: TeamSettingsChange & CalendarSettingsChange,
  options: { loadedVersion?: number; resolveHolidays?: HolidayResolver; now?: Date } = {},
): Promise<StoredTeam> {
  const { loadedVersion, resolveHolidays, now = new Date() } = options;
  const parsed = teamSettingsChangeSchema.parse(change);
  const countTime = change.countTime && countTimeSchema.parse(change.countTime);
  let recount = false;
  let installation: InstallationRecord | undefined;
  const updated = await retryOnSettingsConflict(async () => {
    installation = await getInstallation(ref, installationId);
    const team = await readTeam(ref, installationId, teamId);
    if (!team || team.deletedAt !== null)
      throw new UnknownTeamError(
        `no team ${teamId} is recorded for installation ${installationId}`,
      );
    const version = team.settings.settingsVersion;
    if (loadedVersion !== undefined && loadedVersion !== version)
      throw new StaleSettingsError(
        "The team's settings changed since this page was loaded (another admin saved them, or a recipient unsubscribed). Nothing was saved: here they are as they are now.",
      );
    const recipients = parsed.recipients
      ? withUnsubscribeTokens(team.settings.recipients, parsed.recipients)
      : team.settings.recipients;
    const timeZone =
      parsed.timeZone === undefined ? team.settings.timeZone : (parsed.timeZone ?? undefined);
    // Validated (and its holidays resolved) before anything is written.
    const calendar = changedCalendarSettings(
      team.settings,
      { calendar: change.calendar, countTime },
      timeZone ?? installationTimeZone(installation ?? {}),
      installation,
      resolveHolidays,
    );
    recount = calendar.recount;
    if (recount && installation) await markRecentWeeks(ref, installation, now);
    const set = assignments({ ...calendar.settings, ...(timeZone ? { timeZone } : {}) });
    const cleared = removals([
      ...calendarAttributes.filter((name) => calendar.settings[name] === undefined),
      ...(timeZone ? [] : ['timeZone']),
    ]);
    if (timeZone) await nameTeamTimeZone(ref, installationId, teamId, timeZone);
    await ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.team(installationId, teamId),
        UpdateExpression: `SET recipients = :recipients, settingsVersion = :next${set.clauses.map((clause) => `, ${clause}`).join('')}${cleared.clause}`,
        ConditionExpression:
          'attribute_exists(teamId) AND attribute_not_exists(deletedAt) AND (attribute_not_exists(settingsVersion) OR settingsVersion = :version)',
        ExpressionAttributeNames: { ...set.names, ...cleared.names },
        ExpressionAttributeValues: {
          ':recipients': recipients,
          ':version': version,
          ':next': version + 1,
          ...set.values,
        },
      }),
    );
    if (!timeZone) await forgetTeamTimeZone(ref, installationId, teamId);
    return {
      ...team,
      settings: {
        recipients,
        ...(timeZone ? { timeZone } : {}),
        settingsVersion: version + 1,
        ...calendar.settings,
      },
    };
  });
  // Again after the write: a rollup in between counted on the old calendar.
  if (recount && installation) await markRecentWeeks(ref, installation, now);
  return updated;
}

async function nameTeamTimeZone(
  ref: TableRef,
  installationId: number,
  teamId: number,
  timeZone: string,
): Promise<void> {
  // A map must exist before one of its entries can be set; the first team's zone makes it.
  await conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.installation(installationId),
        UpdateExpression: 'SET #zones = :empty',
        ConditionExpression: 'attribute_exists(accountLogin) AND attribute_not_exists(#zones)',
        ExpressionAttributeNames: { '#zones': teamTimeZonesAttribute },
        ExpressionAttributeValues: { ':empty': {} },
      }),
    ),
  );
  await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: keys.installation(installationId),
      UpdateExpression: 'SET #zones.#team = :zone',
      ConditionExpression: 'attribute_exists(accountLogin)',
      ExpressionAttributeNames: { '#zones': teamTimeZonesAttribute, '#team': String(teamId) },
      ExpressionAttributeValues: { ':zone': timeZone },
    }),
  );
}

async function forgetTeamTimeZone(
  ref: TableRef,
  installationId: number,
  teamId: number,
): Promise<void> {
  await conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.installation(installationId),
        UpdateExpression: 'REMOVE #zones.#team',
        ConditionExpression: 'attribute_exists(#zones)',
        ExpressionAttributeNames: { '#zones': teamTimeZonesAttribute, '#team': String(teamId) },
      }),
    ),
  );
}
