import { randomBytes } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { compileAdminPattern } from '../metrics/admin-pattern.ts';
import { deploymentSources } from '../metrics/deployment.ts';
import { isTimeZone } from '../metrics/time-zone.ts';
import {
  deliveryRules,
  getInstallation,
  type InstallationRecord,
  installationTimeZone,
} from './installations.ts';
import { keys } from './keys.ts';
import type { Recipient } from './recipient.ts';
import {
  markRecentWeeks,
  retryOnSettingsConflict,
  settingsVersion,
  weeksRerolledOnRuleChange,
} from './settings-version.ts';
import { assignments, removals, type TableRef } from './table.ts';
import {
  type CalendarSettings,
  type CalendarSettingsChange,
  changedCalendarSettings,
  countTimeSchema,
  type HolidayResolver,
} from './working-calendars.ts';

// Where most callers have always found them.
export { markRecentWeeks, retryOnSettingsConflict, settingsVersion, weeksRerolledOnRuleChange };

/** At most this many recipients per installation: a digest is a team lead's mail, not a list. */
export const maxRecipients = 50;

/** A regular expression as a setting: one that runs in linear time (`admin-pattern.ts`), short enough to read. */
function pattern(what: string) {
  return z.string().check(
    z.minLength(1),
    z.maxLength(200),
    z.refine((source) => compileAdminPattern(source).matcher !== undefined, {
      error: (issue) => `${what}: ${compileAdminPattern(String(issue.input)).problem}`,
    }),
  );
}

/** A digest's recipients as given: addresses, at most `maxRecipients`. */
export const recipientsSchema = z
  .array(z.email({ error: (issue) => `not an email address: ${String(issue.input)}` }))
  .check(z.maxLength(maxRecipients));

/** An IANA time zone, as a week is cut in and a digest sent by. */
export const timeZoneSchema = z
  .string()
  .check(
    z.refine(isTimeZone, { error: (issue) => `not an IANA time zone: ${String(issue.input)}` }),
  );

/** What `npm run settings` may change; omitted fields stay as stored. */
export const settingsChangeSchema = z.object({
  recipients: z.optional(recipientsSchema),
  timeZone: z.optional(timeZoneSchema),
  /** Per-person figures on the dashboard: off unless the installation turns them on. */
  showAuthors: z.optional(z.boolean()),
  /** What counts as a deployment: GitHub's deployments (the default), each merge to the default branch, or each published release. */
  deploymentSource: z.optional(
    z.enum(deploymentSources, {
      error: (issue) =>
        `deployment source must be one of ${deploymentSources.join(', ')}, not ${String(issue.input)}`,
    }),
  ),
  /** Which environments are production: a regular expression, matched ignoring case. */
  productionEnvironments: z.optional(pattern('production environments')),
  /** Which issue labels mark an incident: a regular expression, matched ignoring case. */
  incidentLabels: z.optional(pattern('incident labels')),
  /** Hours after a deployment an incident naming none still counts against it: 1 to a week. */
  incidentWindowHours: z.optional(z.int().check(z.minimum(1), z.maximum(168))),
});

export type SettingsChange = z.infer<typeof settingsChangeSchema>;

/**
 * Hours as a person types them (a flag, a form field): a whole number as
 * one; anything else left as typed, for the schema to refuse by name.
 */
export function typedHours(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : (text as never);
}

export class UnknownInstallationError extends Error {}

/** The settings changed since the form was loaded (another admin saved, someone unsubscribed). */
export class StaleSettingsError extends Error {}

const newToken = () => randomBytes(18).toString('base64url');

/**
 * Recipients for the addresses given, lower-cased and unique: one who stays
 * keeps their unsubscribe token (links in mail already sent keep working),
 * a new one gets a fresh token.
 */
export function withUnsubscribeTokens(
  stored: readonly Recipient[],
  emails: readonly string[],
): Recipient[] {
  const tokens = new Map(stored.map((r) => [r.email, r.unsubscribeToken]));
  return [...new Set(emails.map((e) => e.toLowerCase()))].map((email) => ({
    email,
    unsubscribeToken: tokens.get(email) ?? newToken(),
  }));
}

/**
 * Applies a settings change to a recorded installation. Recipients are kept
 * lower-cased and unique; one who stays keeps their unsubscribe token, a new
 * one gets a fresh token. Conditional on the settings version read, so an
 * unsubscribe landing meanwhile is not overwritten (the change is retried).
 * A change of what counts as a deployment or an incident marks the last
 * finished weeks for the rollup, so recent figures follow the new rules:
 * before the change (a crash after it loses no mark) and again after it (a
 * rollup in between read the old rules).
 * With `loadedVersion` (a form's), the change applies only to the settings
 * as they were then: a form loaded before a recipient unsubscribed must not
 * subscribe them again, so a stale one is refused (StaleSettingsError) and
 * nothing is stored.
 */
export async function updateSettings(
  ref: TableRef,
  installationId: number,
  change: SettingsChange & CalendarSettingsChange,
  now = new Date(),
  loadedVersion?: number,
  resolveHolidays?: HolidayResolver,
): Promise<InstallationRecord> {
  const parsed = settingsChangeSchema.parse(change);
  const given = givenRules(parsed);
  const changesRules = (installation: InstallationRecord) =>
    JSON.stringify(deliveryRules(withRules(installation, parsed))) !==
    JSON.stringify(deliveryRules(installation));
  let rulesChanged = false;
  const updated = await retryOnSettingsConflict(async () => {
    const installation = await getInstallation(ref, installationId);
    if (!installation?.accountLogin)
      throw new UnknownInstallationError(`no installation ${installationId} is recorded`);
    if (loadedVersion !== undefined && loadedVersion !== settingsVersion(installation))
      throw new StaleSettingsError(
        'The settings changed since this page was loaded (another admin saved them, or a recipient unsubscribed). Nothing was saved: here they are as they are now.',
      );
    // Validated (and its holidays resolved) before anything is written.
    const calendar = checkedCalendarChange(installation, change, parsed, resolveHolidays);
    rulesChanged = changesRules(installation) || calendar.recount;
    if (rulesChanged) await markRecentWeeks(ref, installation, now);
    // Set only when given: an installation left on the defaults follows them.
    const delivery = assignments({ ...given, ...calendar.settings });
    const cleared = removals(
      calendarAttributes.filter((name) => calendar.settings[name] === undefined),
    );
    const recipients =
      parsed.recipients && withUnsubscribeTokens(installation.recipients ?? [], parsed.recipients);
    const result = await ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.installation(installationId),
        UpdateExpression: `SET recipients = :recipients, #timeZone = :timeZone, showAuthors = :showAuthors, settingsVersion = :next${delivery.clauses.map((clause) => `, ${clause}`).join('')}${cleared.clause}`,
        ExpressionAttributeNames: { '#timeZone': 'timeZone', ...delivery.names, ...cleared.names },
        ConditionExpression:
          'attribute_exists(accountLogin) AND (attribute_not_exists(settingsVersion) OR settingsVersion = :version)',
        ExpressionAttributeValues: {
          ':recipients': recipients ?? installation.recipients ?? [],
          ':timeZone': parsed.timeZone ?? installationTimeZone(installation),
          ':showAuthors': parsed.showAuthors ?? installation.showAuthors ?? false,
          ...delivery.values,
          ':version': settingsVersion(installation),
          ':next': settingsVersion(installation) + 1,
        },
        // What it set, not the whole item: the dashboard may update these attributes and no more.
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return { ...installation, ...result.Attributes } as InstallationRecord;
  });
  if (rulesChanged) await markRecentWeeks(ref, updated, now);
  return updated;
}

/** The delivery rules a change sets: those it gives (a rule left as it was is not given). */
function givenRules(change: SettingsChange) {
  return {
    deploymentSource: change.deploymentSource,
    productionEnvironments: change.productionEnvironments,
    incidentLabels: change.incidentLabels,
    incidentWindowHours: change.incidentWindowHours,
  };
}

/** The installation as it would be with the change's delivery rules: what the rule preview counts by. */
export function withRules(
  installation: InstallationRecord,
  change: SettingsChange,
): InstallationRecord {
  const given = Object.entries(givenRules(change)).filter(([, value]) => value !== undefined);
  return { ...installation, ...Object.fromEntries(given) };
}

/**
 * The calendar settings a change makes, validated (and its holidays
 * resolved) as `updateSettings` stores them: throws what it refuses, and
 * stores nothing.
 */
export function checkedCalendarChange(
  installation: InstallationRecord,
  change: CalendarSettingsChange,
  parsed: SettingsChange,
  resolveHolidays?: HolidayResolver,
): { settings: CalendarSettings; recount: boolean } {
  const countTime = change.countTime && countTimeSchema.parse(change.countTime);
  return changedCalendarSettings(
    installation,
    { calendar: change.calendar, countTime },
    parsed.timeZone ?? installationTimeZone(installation),
    undefined,
    resolveHolidays,
  );
}

/** What an unsubscribe reads and writes of an installation: its public route may touch no more. */
export const recipientAttributes = ['recipients', 'settingsVersion'] as const;

/** A scope's working calendar and the clock it shows, as stored (working-calendars.ts). */
export const calendarAttributes = ['workingCalendar', 'countTime'] as const;

/** Where the installation names the teams with a time zone of their own (team-settings.ts), for the dispatcher. */
export const teamTimeZonesAttribute = 'teamTimeZones';

/** What a settings change writes of an installation: the dashboard may update no other attribute. */
export const settingsAttributes = [
  ...recipientAttributes,
  teamTimeZonesAttribute,
  ...calendarAttributes,
  'timeZone',
  'showAuthors',
  'deploymentSource',
  'productionEnvironments',
  'incidentLabels',
  'incidentWindowHours',
] as const;

/**
 * Removes the recipient whose unsubscribe token this is, from the
 * organisation's digest or (with `teamId`) a team's. Returns the address
 * removed, or undefined when no recipient holds the token (already
 * unsubscribed, or a made-up link): answering both alike keeps it idempotent.
 */
export async function unsubscribe(
  ref: TableRef,
  installationId: number,
  token: string,
  teamId?: number,
): Promise<string | undefined> {
  const key =
    teamId === undefined ? keys.installation(installationId) : keys.team(installationId, teamId);
  return retryOnSettingsConflict(async () => {
    const { Item } = await ref.db.send(
      new GetCommand({
        TableName: ref.tableName,
        Key: key,
        ProjectionExpression: recipientAttributes.join(', '),
      }),
    );
    const holder = Item as Pick<InstallationRecord, 'recipients' | 'settingsVersion'> | undefined;
    const index = (holder?.recipients ?? []).findIndex((r) => r.unsubscribeToken === token);
    const recipient = holder?.recipients?.[index];
    if (!recipient) return undefined;
    // The index is only right if the list did not move since the read.
    await ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: key,
        UpdateExpression: `REMOVE recipients[${index}] SET settingsVersion = :next`,
        ConditionExpression: `recipients[${index}].unsubscribeToken = :token AND settingsVersion = :version`,
        ExpressionAttributeValues: {
          ':token': token,
          ':version': settingsVersion(holder),
          ':next': settingsVersion(holder) + 1,
        },
      }),
    );
    return recipient.email;
  });
}
