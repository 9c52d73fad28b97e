import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CopilotDays } from '../metrics/ai-adoption.ts';
import type { OrganisationDay, UserDay } from '../metrics/copilot-usage.ts';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { batchWrite, queryAll, type TableRef } from './table.ts';

/**
 * What GitHub answered for one report day: its reports, "no data" (204:
 * Copilot unused, or too few users to report), or no report at all (404: a
 * day before the organisation's reports begin). Each is stored so the day
 * is never asked for again.
 */
export type ReportDayOutcome = 'reported' | 'no-data' | 'not-available';

export interface ReportDay {
  day: string;
  outcome: ReportDayOutcome;
  organisation: OrganisationDay | null;
  users: readonly UserDay[];
}

/** A report day as stored: what GitHub answered, and the organisation's totals when it reported. */
interface StoredDay {
  day: string;
  outcome: ReportDayOutcome;
  organisation: OrganisationDay | null;
}

/** Whether Flowmeter may read an organisation's Copilot usage, as GitHub last answered. */
export type CopilotAccess =
  /** Reports are read. */
  | 'reading'
  /** The installation has not granted the "Organization Copilot metrics" read permission. */
  | 'no-permission'
  /** The organisation (or its enterprise) has the Copilot usage metrics policy off. */
  | 'disabled';

export interface CopilotAccessRecord {
  access: CopilotAccess;
  checkedAt: string;
  /** GitHub's words when it refused. */
  detail?: string;
}

/**
 * Items of the Copilot partition whose sort key, after `prefix`, runs from
 * `from` to `to` (days), with only the `fields` named.
 */
function daysRange<Item>(
  ref: TableRef,
  installationId: number,
  prefix: string,
  range: { from: string; to: string },
  fields: readonly string[],
) {
  const names = Object.fromEntries(fields.map((field, index) => [`#f${index}`, field]));
  return queryAll<Item>(ref, {
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey, ...names },
    // '~' sorts after every character of a day or a user id.
    ExpressionAttributeValues: {
      ':pk': keys.copilotPartition(installationId),
      ':from': `${prefix}${range.from}`,
      ':to': `${prefix}${range.to}~`,
    },
    ProjectionExpression: Object.keys(names).join(', '),
  });
}

/** Every field of a user's day: what the weekly figures read back. */
const userDayFields = [
  'day',
  'userId',
  'login',
  'interactions',
  'codeSuggestions',
  'codeAcceptances',
  'linesSuggested',
  'linesAccepted',
  'usedChat',
  'usedAgent',
] as const satisfies readonly (keyof UserDay)[];

/**
 * Stores a report day: its users' days first, then the day item that says
 * it is stored, so a crash between leaves the day to be fetched again and
 * written over with the same items.
 */
export async function storeReportDay(
  ref: TableRef,
  installationId: number,
  report: ReportDay,
  now: Date,
): Promise<void> {
  await batchWrite(
    ref,
    report.users.map((user) => ({
      PutRequest: {
        Item: { ...keys.copilotUserDay(installationId, report.day, user.userId), ...user },
      },
    })),
  );
  await ref.db.send(
    new PutCommand({
      TableName: ref.tableName,
      Item: {
        ...keys.copilotDay(installationId, report.day),
        day: report.day,
        outcome: report.outcome,
        organisation: report.organisation,
        users: report.users.length,
        fetchedAt: now.toISOString(),
      },
    }),
  );
}

/** The report days stored from `from` to `to` (YYYY-MM-DD, inclusive). */
export async function storedReportDays(
  ref: TableRef,
  installationId: number,
  from: string,
  to: string,
): Promise<Set<string>> {
  const items = await daysRange<StoredDay>(ref, installationId, 'DAY#', { from, to }, ['day']);
  return new Set(items.map((item) => item.day));
}

/** What Copilot reported for the days from `from` to `to` (inclusive). */
export async function copilotDays(
  ref: TableRef,
  installationId: number,
  from: string,
  to: string,
): Promise<CopilotDays> {
  const [days, users] = await Promise.all([
    daysRange<StoredDay>(ref, installationId, 'DAY#', { from, to }, ['outcome', 'organisation']),
    daysRange<UserDay>(ref, installationId, 'USER#', { from, to }, userDayFields),
  ]);
  return {
    organisation: days.flatMap((item) => (item.organisation ? [item.organisation] : [])),
    users,
    noDataDays: days.filter((item) => item.outcome === 'no-data').length,
  };
}

/** Records what GitHub last answered about reading the organisation's Copilot usage. */
export async function recordCopilotAccess(
  ref: TableRef,
  installationId: number,
  record: CopilotAccessRecord,
): Promise<void> {
  await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: keys.installation(installationId),
      UpdateExpression: 'SET copilot = :copilot',
      ConditionExpression: 'attribute_exists(accountLogin)',
      ExpressionAttributeValues: { ':copilot': record },
    }),
  );
}
