import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { slackUrlKeySource } from '#shared/aws/slack-url-key.ts';
import { patternInWords } from '#shared/metrics/admin-pattern.ts';
import { deploymentSourceWords } from '#shared/metrics/deployment.ts';
import { describeIssues } from '#shared/schema-issues.ts';
import { setAgreements, storedAgreements } from '#shared/store/agreements.ts';
import {
  deliveryRules,
  getInstallation,
  type InstallationRecord,
  installationTimeZone,
} from '#shared/store/installations.ts';
import { readNudgeTeam, SlackUrlError, updateTeamNudge } from '#shared/store/nudge-settings.ts';
import {
  markRecentWeeks,
  type SettingsChange,
  typedHours,
  UnknownInstallationError,
  updateSettings,
  weeksRerolledOnRuleChange,
} from '#shared/store/settings.ts';
import { teamTimeZone, UnknownTeamError, updateTeamSettings } from '#shared/store/team-settings.ts';
import { readTeams } from '#shared/store/teams.ts';
import { resolveHolidays } from '#shared/working-time/public-holidays.ts';
import { connectToRunningStack, localSlackUrlKey } from '../local/embedded-aws.ts';
import {
  agreementLines,
  agreementOptions,
  agreementUsage,
  changedAgreements,
  givesAgreements,
  SettingsFlagError,
} from './agreement-flags.ts';
import {
  CalendarFlagError,
  calendarChange,
  calendarLines,
  calendarOptions,
  calendarUsage,
  givesCalendar,
} from './calendar-flags.ts';
import { givesNudge, nudgeChange, nudgeLines, nudgeOptions, nudgeUsage } from './nudge-flags.ts';

/**
 * `npm run settings -- --installation <id> [--team <slug> [--recipients ...] [--time-zone ...]]
 * [--recipients a@x,b@y] [--time-zone Europe/Berlin] [--show-authors true|false]
 * [--deployment-source deployments|merges|releases] [--production-environments <pattern>] [--incident-labels <pattern>] [--incident-window-hours <1-168>]`:
 * shows an installation's email recipients, time zone, whether the
 * dashboard shows per-person figures and how delivery figures read its
 * deployments and issues, or changes them.
 * `--recipients ""` removes every recipient (no more email). With `--team`,
 * a GitHub team's own digest: its recipients and the zone its weeks are cut
 * in and its digest sent by (`--time-zone ""`: the organisation's). The
 * calendar flags (calendar-flags.ts) set the organisation's or a team's
 * working calendar and the clock its durations are shown on; the agreement
 * flags (agreement-flags.ts) its working agreements, and with `--team` the
 * nudge flags (nudge-flags.ts) the team's morning nudge — a Slack URL is
 * sealed under the Slack URL key (`SLACK_KEY_SECRET_ARN` against AWS) and
 * only its hint is shown back. Every flag is checked before anything is
 * stored. Locally it
 * finds the running stack; against AWS add `--table <TableName output>`,
 * with AWS credentials and region in the environment.
 */
const usage = `usage: npm run settings -- --installation <id> [--team <slug> [--recipients ...] [--time-zone <IANA zone>|""] [calendar flags] [agreement flags] ${nudgeUsage}] [--recipients a@x.example,b@y.example] [--time-zone <IANA zone>] [--show-authors true|false] [--deployment-source deployments|merges|releases] [--production-environments <regular expression>] [--incident-labels <regular expression>] [--incident-window-hours <1-168>] ${calendarUsage} ${agreementUsage} [--table <TableName> (AWS)]`;
const { values } = parseArgs({
  options: {
    installation: { type: 'string' },
    team: { type: 'string' },
    recipients: { type: 'string' },
    'time-zone': { type: 'string' },
    'show-authors': { type: 'string' },
    'deployment-source': { type: 'string' },
    'production-environments': { type: 'string' },
    'incident-labels': { type: 'string' },
    'incident-window-hours': { type: 'string' },
    ...calendarOptions,
    ...agreementOptions,
    ...nudgeOptions,
    table: { type: 'string' },
  },
});
const installationId = z.coerce
  .number()
  .check(z.int(), z.positive())
  .safeParse(values.installation);
if (!installationId.success) {
  console.error(`--installation must be a positive integer\n${usage}`);
  process.exit(2);
}
const table = values.table
  ? { db: createDocumentClient(), tableName: values.table }
  : connectToRunningStack().table;

/** `--show-authors true|false`; anything else is left to the schema, which names it. */
function showAuthorsFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return ({ true: true, false: false } as Record<string, boolean>)[value] ?? (value as never);
}

function show(installation: InstallationRecord): void {
  const recipients = installation.recipients ?? [];
  const { source, productionPattern, incidentRules } = deliveryRules(installation);
  console.log(`installation ${installation.installationId} (${installation.accountLogin})
  time zone   ${installationTimeZone(installation)}
  authors     ${installation.showAuthors ? 'shown on the dashboard' : 'not shown (per-person figures are off)'}
  recipients  ${recipients.length === 0 ? '(none: no email is sent)' : recipients.map((r) => r.email).join(', ')}
  deployments ${deploymentSourceWords[source]}
  production  ${source === 'deployments' ? `environments matching ${patternInWords(productionPattern)}` : '(the deployment source says)'}
  incidents   issues labelled ${patternInWords(incidentRules.labelPattern)}; unlinked ones count against a deployment up to ${incidentRules.windowHours} h before
${calendarLines(installation)}
${agreementLines(storedAgreements(installation))}`);
}

/** The flags of what counts as a deployment or an incident. */
const deliveryFlags = [
  'deployment-source',
  'production-environments',
  'incident-labels',
  'incident-window-hours',
] as const;

/** A team's settings: `--team <slug>` with its recipients and time zone, nothing else. */
async function teamSettings(id: number, slug: string): Promise<void> {
  const refused = (['show-authors', ...deliveryFlags] as const).filter(
    (flag) => values[flag] !== undefined,
  );
  if (refused.length > 0) {
    console.error(
      `--team sets a team's recipients, time zone, working calendar, agreements and nudge only, not ${refused.map((flag) => `--${flag}`).join(', ')}\n${usage}`,
    );
    process.exit(2);
  }
  const installation = await getInstallation(table, id);
  if (!installation?.accountLogin)
    throw new UnknownInstallationError(`no installation ${id} is recorded`);
  const { teams } = await readTeams(table, id, 'no team');
  let team = teams.find((known) => known.slug === slug && known.deletedAt === null);
  if (!team)
    throw new UnknownTeamError(
      `no team ${slug} is recorded for ${installation.accountLogin}; its teams: ${
        teams
          .filter((known) => known.deletedAt === null)
          .map((known) => known.slug)
          .join(', ') || '(none read from GitHub)'
      }`,
    );
  const holder = { installationId: id, teamId: team.teamId };
  const before = await readNudgeTeam(table, id, team.teamId);
  // Every flag checked before the first write: a bad one stores nothing.
  const calendar = calendarChange(values);
  const agreements = givesAgreements(values)
    ? changedAgreements(before?.agreements ?? {}, values)
    : undefined;
  const nudge = givesNudge(values) ? nudgeChange(values, !values.table) : undefined;
  const key = nudge?.slackWebhookUrl ? await slackUrlKey() : undefined;
  if (values.recipients !== undefined || values['time-zone'] !== undefined || givesCalendar(values))
    team = await updateTeamSettings(
      table,
      id,
      team.teamId,
      {
        recipients: recipientList(values.recipients),
        timeZone: values['time-zone'] === '' ? null : values['time-zone'],
        ...calendar,
      },
      { resolveHolidays },
    );
  if (agreements) {
    await setAgreements(table, holder, agreements);
    await markRecentWeeks(table, installation, new Date());
  }
  if (nudge)
    await updateTeamNudge(table, holder, nudge, {
      key: key ?? Buffer.alloc(0),
      now: new Date(),
      allowLoopback: !values.table,
    });
  const after = await readNudgeTeam(table, id, team.teamId);
  const { recipients, timeZone } = team.settings;
  console.log(`team ${team.slug} (${team.name}) of ${installation.accountLogin}
  time zone   ${timeZone ?? `${installationTimeZone(installation)} (the organisation's)`}
  recipients  ${recipients.length === 0 ? '(none: no team digest is sent)' : recipients.map((r) => r.email).join(', ')}
${calendarLines(team.settings, installation)}
${agreementLines(after?.agreements ?? {}, storedAgreements(installation))}
${nudgeLines(after?.nudge, teamTimeZone(team, installation))}`);
  if (agreements)
    console.log(
      `  (changed agreements mark the last ${weeksRerolledOnRuleChange} finished weeks: the next rollup recomputes their shares met)`,
    );
}

/** The key Slack URLs are sealed under: the running stack's locally, Secrets Manager's against AWS. */
async function slackUrlKey(): Promise<Buffer> {
  const source = slackUrlKeySource({
    SLACK_KEY_SECRET_ARN: process.env.SLACK_KEY_SECRET_ARN,
    SLACK_URL_KEY: process.env.SLACK_URL_KEY ?? (values.table ? undefined : localSlackUrlKey),
  });
  if (!source)
    throw new SettingsFlagError(
      '--slack-webhook-url needs the Slack URL key: set SLACK_KEY_SECRET_ARN to the SlackKeySecretArn output',
    );
  return source();
}

/** The organisation's agreements alone: checked, stored, and the weeks whose shares met they change marked. */
async function organisationAgreements(id: number): Promise<void> {
  const installation = await getInstallation(table, id);
  if (!installation?.accountLogin)
    throw new UnknownInstallationError(`no installation ${id} is recorded`);
  await setAgreements(
    table,
    { installationId: id },
    changedAgreements(storedAgreements(installation), values),
  );
  await markRecentWeeks(table, installation, new Date());
  show((await getInstallation(table, id)) ?? installation);
  console.log(
    `  (changed agreements mark the last ${weeksRerolledOnRuleChange} finished weeks: the next rollup recomputes their shares met)`,
  );
}

/** `--recipients a@x, b@y` as addresses; "" is none. */
function recipientList(flag: string | undefined): string[] | undefined {
  return flag
    ?.split(',')
    .map((address) => address.trim())
    .filter(Boolean);
}

try {
  if (values.team !== undefined) await teamSettings(installationId.data, values.team);
  else if (
    (['recipients', 'time-zone', 'show-authors', ...deliveryFlags] as const).every(
      (flag) => values[flag] === undefined,
    ) &&
    !givesCalendar(values) &&
    !givesAgreements(values)
  ) {
    const installation = await getInstallation(table, installationId.data);
    if (!installation?.accountLogin)
      throw new UnknownInstallationError(`no installation ${installationId.data} is recorded`);
    show(installation);
  } else if (
    (['recipients', 'time-zone', 'show-authors', ...deliveryFlags] as const).every(
      (flag) => values[flag] === undefined,
    ) &&
    !givesCalendar(values)
  ) {
    await organisationAgreements(installationId.data);
  } else {
    const agreements = givesAgreements(values)
      ? changedAgreements(
          storedAgreements(await getInstallation(table, installationId.data)),
          values,
        )
      : undefined;
    const updated = await updateSettings(
      table,
      installationId.data,
      {
        recipients: recipientList(values.recipients),
        timeZone: values['time-zone'],
        showAuthors: showAuthorsFlag(values['show-authors']),
        deploymentSource: values['deployment-source'] as SettingsChange['deploymentSource'],
        productionEnvironments: values['production-environments'],
        incidentLabels: values['incident-labels'],
        incidentWindowHours:
          values['incident-window-hours'] === undefined
            ? undefined
            : typedHours(values['incident-window-hours']),
        ...calendarChange(values),
      },
      new Date(),
      undefined,
      resolveHolidays,
    );
    if (agreements) {
      await setAgreements(table, { installationId: installationId.data }, agreements);
      await markRecentWeeks(table, updated, new Date());
    }
    show((await getInstallation(table, installationId.data)) ?? updated);
    if (values['time-zone'])
      console.log(
        '  (weeks already rolled up keep their boundaries; new rollups use the new zone)',
      );
    if (
      deliveryFlags.some((flag) => values[flag] !== undefined) ||
      givesCalendar(values) ||
      givesAgreements(values)
    )
      console.log(
        `  (a changed rule marks the last ${weeksRerolledOnRuleChange} finished weeks: the next rollup recomputes them)`,
      );
  }
} catch (error) {
  if (error instanceof z.core.$ZodError) {
    console.error(describeIssues(error).join('\n'));
    process.exit(2);
  }
  if (error instanceof UnknownInstallationError) {
    console.error(`${error.message}; is the App installed there?`);
    process.exit(1);
  }
  if (error instanceof SettingsFlagError || error instanceof SlackUrlError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof UnknownTeamError) {
    console.error(error.message);
    process.exit(1);
  }
  // An unknown holiday region (public-holidays.ts), or a malformed calendar flag: nothing was stored.
  if (error instanceof RangeError || error instanceof CalendarFlagError) {
    console.error(`${error instanceof RangeError ? 'holidays: ' : ''}${error.message}`);
    process.exit(2);
  }
  if (
    error instanceof Error &&
    /ECONNREFUSED|fetch failed/.test(`${error.message} ${String(error.cause)}`)
  ) {
    console.error('no local stack answers; start it with npm start, or pass --table for AWS');
    process.exit(1);
  }
  throw error;
}
