import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { seal, unseal } from '../seal.ts';
import type { ResolvedCalendar } from '../working-time/calendar.ts';
import { type AgreementsHolder, storedAgreements } from './agreements.ts';
import { keys } from './keys.ts';
import type { Recipient } from './recipient.ts';
import { conditionalWrite, type TableRef } from './table.ts';
import { UnknownTeamError } from './team-settings.ts';
import {
  type CalendarSettings,
  effectiveCalendar,
  inZone,
  type StoredCalendar,
} from './working-calendars.ts';

/**
 * A team's morning nudge (`nudge` on its item): the hour it comes on the
 * team's clock, how many days without activity make a PR idle, whether the
 * team's digest recipients get it by email, and a Slack incoming webhook,
 * sealed (`slack-url-key.ts`) and shown back only as `hint`. The hours are
 * also named in the installation's `nudgeHours`, which the hourly
 * dispatcher reads to know whose morning it is without reading a team.
 */
export const nudgeAttribute = 'nudge';
export const nudgeHoursAttribute = 'nudgeHours';

export interface SlackFailure {
  at: string;
  /** Slack's HTTP status. */
  status: number;
  /** Slack's words (`no_service`, `channel_not_found`, …). */
  error: string;
}

export interface StoredSlackHook {
  sealed: string;
  /** The URL as shown back: its host and last four characters. */
  hint: string;
  setAt: string;
  /** Slack refused it for good: nothing is sent to it until a new URL is set. */
  failure?: SlackFailure;
}

export interface NudgeSettings {
  /** 0–23 on the team's clock; absent: no nudge. */
  hour?: number;
  idleDays?: number;
  email: boolean;
  slack?: StoredSlackHook;
}

/** Slack's webhook hosts; locally (`allowLoopback`) the embedded sink on 127.0.0.1 too. */
const slackHosts = ['hooks.slack.com', 'hooks.slack-gov.com'];

export function slackUrlProblem(url: string, allowLoopback = false): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (allowLoopback && parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1')
    return undefined;
  if (parsed.protocol !== 'https:' || !slackHosts.includes(parsed.hostname))
    return `a Slack incoming webhook URL starts https://${slackHosts[0]}/`;
  return undefined;
}

export const nudgeChangeSchema = z.object({
  /** null: no nudge. */
  hour: z.optional(z.nullable(z.int().check(z.minimum(0), z.maximum(23)))),
  idleDays: z.optional(z.int().check(z.minimum(1), z.maximum(90))),
  email: z.optional(z.boolean()),
  /** null: forget the URL. */
  slackWebhookUrl: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
});

export type NudgeChange = z.infer<typeof nudgeChangeSchema>;

export class SlackUrlError extends Error {}

/** The Slack URL as shown back: never whole. */
export function slackUrlHint(url: string): string {
  return `${new URL(url).origin}/…${url.slice(-4)}`;
}

/** A team's item as the nudge reads it. */
export interface NudgeTeam {
  teamId: number;
  name: string;
  slug: string;
  deleted: boolean;
  recipients: Recipient[];
  nudge: NudgeSettings | undefined;
  agreements: ReturnType<typeof storedAgreements>;
  /** Its own calendar and clock (`working-calendars.ts`); it follows the organisation's where unset. */
  calendar: CalendarSettings;
}

export async function readNudgeTeam(
  ref: TableRef,
  installationId: number,
  teamId: number,
): Promise<NudgeTeam | undefined> {
  const { Item } = await ref.db.send(
    new GetCommand({ TableName: ref.tableName, Key: keys.team(installationId, teamId) }),
  );
  if (!Item) return undefined;
  return {
    teamId,
    name: String(Item.name),
    slug: String(Item.slug),
    deleted: Item.deletedAt !== undefined,
    recipients: (Item.recipients as Recipient[] | undefined) ?? [],
    nudge: Item[nudgeAttribute] as NudgeSettings | undefined,
    agreements: storedAgreements(Item),
    calendar: {
      ...(Item.workingCalendar ? { workingCalendar: Item.workingCalendar as StoredCalendar } : {}),
      ...(Item.countTime ? { countTime: Item.countTime as CalendarSettings['countTime'] } : {}),
    },
  };
}

/**
 * A scope's calendar in its zone (`zone`: the team's, or the organisation's):
 * `days`, the one its working days are read from (Monday to Friday without
 * one); `counting`, the one its waits are counted on, only where it counts
 * time in working hours (calendar hours otherwise).
 */
export function nudgeCalendars(
  team: Pick<NudgeTeam, 'calendar'> | undefined,
  installation: CalendarSettings,
  zone: string,
): { days: ResolvedCalendar | undefined; counting: ResolvedCalendar | undefined } {
  const { calendar, countTime } = effectiveCalendar(
    team?.calendar ?? installation,
    team ? installation : {},
  );
  const days = calendar ? inZone(calendar, zone) : undefined;
  return { days, counting: countTime === 'working' ? days : undefined };
}

const sealedFor = (holder: Required<AgreementsHolder>) => ({
  installationId: holder.installationId,
  teamId: holder.teamId,
});

/** The URL sealed in a team's stored hook; undefined if it was sealed for another team or under another key. */
export function openSlackUrl(
  key: Buffer,
  holder: Required<AgreementsHolder>,
  hook: StoredSlackHook,
): string | undefined {
  const value = unseal(key, hook.sealed, Date.now()) as {
    url: string;
    installationId: number;
    teamId: number;
  } | null;
  const mine = sealedFor(holder);
  if (!value || value.installationId !== mine.installationId || value.teamId !== mine.teamId)
    return undefined;
  return value.url;
}

/**
 * Applies a change to a team's nudge. A new Slack URL is checked and sealed
 * under `key`, bound to the team (a sealed value copied to another team's
 * item opens to nothing), and clears a recorded failure. The installation's
 * `nudgeHours` names the team before the team item is written when a nudge
 * is on, and forgets it after when it is off: a crash between costs a run
 * that finds nothing due.
 */
export async function updateTeamNudge(
  ref: TableRef,
  holder: Required<AgreementsHolder>,
  change: NudgeChange,
  options: { key: Buffer; now: Date; allowLoopback?: boolean },
): Promise<NudgeSettings> {
  const parsed = nudgeChangeSchema.parse(change);
  const team = await readNudgeTeam(ref, holder.installationId, holder.teamId);
  if (!team || team.deleted)
    throw new UnknownTeamError(
      `no team ${holder.teamId} is recorded for installation ${holder.installationId}`,
    );
  const before = team.nudge ?? { email: true };
  const next: NudgeSettings = { ...before };
  if (parsed.hour === null) delete next.hour;
  else if (parsed.hour !== undefined) next.hour = parsed.hour;
  if (parsed.idleDays !== undefined) next.idleDays = parsed.idleDays;
  if (parsed.email !== undefined) next.email = parsed.email;
  if (parsed.slackWebhookUrl === null) delete next.slack;
  else if (parsed.slackWebhookUrl !== undefined) {
    const url = parsed.slackWebhookUrl.trim();
    const problem = slackUrlProblem(url, options.allowLoopback);
    if (problem) throw new SlackUrlError(`Slack webhook URL: ${problem}`);
    next.slack = {
      sealed: seal(options.key, { url, ...sealedFor(holder) }, Number.MAX_SAFE_INTEGER),
      hint: slackUrlHint(url),
      setAt: options.now.toISOString(),
    };
  }
  if (next.hour !== undefined) await nameNudgeHour(ref, holder, next.hour);
  await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: keys.team(holder.installationId, holder.teamId),
      UpdateExpression: 'SET #nudge = :nudge',
      ConditionExpression: 'attribute_exists(teamId) AND attribute_not_exists(deletedAt)',
      ExpressionAttributeNames: { '#nudge': nudgeAttribute },
      ExpressionAttributeValues: { ':nudge': next },
    }),
  );
  if (next.hour === undefined) await forgetNudgeHour(ref, holder);
  return next;
}

async function nameNudgeHour(ref: TableRef, holder: Required<AgreementsHolder>, hour: number) {
  const key = keys.installation(holder.installationId);
  // A map must exist before one of its entries can be set.
  await conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: key,
        UpdateExpression: 'SET #hours = :empty',
        ConditionExpression: 'attribute_exists(accountLogin) AND attribute_not_exists(#hours)',
        ExpressionAttributeNames: { '#hours': nudgeHoursAttribute },
        ExpressionAttributeValues: { ':empty': {} },
      }),
    ),
  );
  await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: key,
      UpdateExpression: 'SET #hours.#team = :hour',
      ConditionExpression: 'attribute_exists(#hours)',
      ExpressionAttributeNames: { '#hours': nudgeHoursAttribute, '#team': String(holder.teamId) },
      ExpressionAttributeValues: { ':hour': hour },
    }),
  );
}

async function forgetNudgeHour(ref: TableRef, holder: Required<AgreementsHolder>) {
  await conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.installation(holder.installationId),
        UpdateExpression: 'REMOVE #hours.#team',
        ConditionExpression: 'attribute_exists(#hours)',
        ExpressionAttributeNames: { '#hours': nudgeHoursAttribute, '#team': String(holder.teamId) },
      }),
    ),
  );
}

/** Records that Slack refused the team's hook for good; only if it is still the hook that failed. */
export async function recordSlackFailure(
  ref: TableRef,
  holder: Required<AgreementsHolder>,
  sealed: string,
  failure: SlackFailure,
): Promise<boolean> {
  return conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.team(holder.installationId, holder.teamId),
        UpdateExpression: 'SET #nudge.slack.failure = :failure',
        ConditionExpression: '#nudge.slack.sealed = :sealed',
        ExpressionAttributeNames: { '#nudge': nudgeAttribute },
        ExpressionAttributeValues: { ':failure': failure, ':sealed': sealed },
      }),
    ),
  );
}
