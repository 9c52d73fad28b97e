import type { WorkingAgreements } from '../../metrics/agreements.ts';
import type { InstallationRecord } from '../../store/installations.ts';
import { installationTimeZone } from '../../store/installations.ts';
import type { NudgeTeam } from '../../store/nudge-settings.ts';
import { teamTimeZone } from '../../store/team-settings.ts';
import type { StoredTeam } from '../../store/teams.ts';
import { effectiveCalendar } from '../../store/working-calendars.ts';
import { escapeHtml } from '../../views/format.ts';
import { type AgreementForm, agreementFields, agreementForm } from './agreement-fields.ts';
import { type CalendarForm, calendarFields, calendarForm } from './calendar-fields.ts';
import { page, type Viewer } from './layout.ts';
import { type NudgeForm, nudgeFields, nudgeForm } from './nudge-fields.ts';
import { settingsNotice } from './settings-page.ts';

/** Everything a refused post shows again, with the version its form was loaded at. */
export type TypedTeamSettings = TeamSettingsForm & {
  version: number;
  calendar: CalendarForm;
  agreements: AgreementForm;
  nudge: NudgeForm;
};

/** The team form's fields as typed: what a refused post shows again. */
export interface TeamSettingsForm {
  recipients: string;
  /** Empty: the organisation's zone. */
  timeZone: string;
}

/**
 * A GitHub team's own settings, for the organisation's owners: who gets the
 * team's weekly digest and the zone its weeks are cut in and its digest
 * sent by, its working calendar, its working agreements (over the
 * organisation's) and its morning nudge — the same fields and validation
 * as `npm run settings -- --team`.
 */
export function teamSettingsPage(
  installation: InstallationRecord,
  team: StoredTeam,
  viewer: Viewer,
  /** Its agreements and nudge as stored, and the organisation's agreements it follows where it sets none. */
  own: { nudgeTeam: NudgeTeam | undefined; organisation: WorkingAgreements },
  state: {
    saved?: boolean;
    problems?: readonly string[];
    typed?: TypedTeamSettings;
  },
): string {
  const counted = effectiveCalendar(team.settings, installation);
  const typed = state.typed ?? {
    recipients: team.settings.recipients.map((recipient) => recipient.email).join('\n'),
    timeZone: team.settings.timeZone ?? '',
    version: team.settings.settingsVersion,
    calendar: calendarForm(counted.calendar, counted.countTime),
    agreements: agreementForm(own.nudgeTeam?.agreements ?? {}),
    nudge: nudgeForm(own.nudgeTeam?.nudge),
  };
  const { installationId } = installation;
  const form = `<form method="post" action="/installations/${installationId}/settings/teams/${team.teamId}">
<input type="hidden" name="csrf" value="${escapeHtml(viewer.csrfToken)}">
<input type="hidden" name="version" value="${typed.version}">
<label for="recipients">The team's weekly digest recipients, one address a line</label>
<textarea id="recipients" name="recipients" rows="5">${escapeHtml(typed.recipients)}</textarea>
<label for="timeZone">The team's time zone (IANA name, such as Asia/Tokyo; empty: the organisation's, ${escapeHtml(installationTimeZone(installation))})</label>
<input type="text" id="timeZone" name="timeZone" value="${escapeHtml(typed.timeZone)}">
<p class="muted">The team's weeks are cut in its zone, and its digest is sent Monday at 06:00 there. Weeks already rolled up keep their boundaries.</p>
${calendarFields(typed.calendar, counted.calendar, { label: "Follow the organisation's working calendar", checked: !team.settings.workingCalendar })}
${agreementFields(typed.agreements, own.organisation)}
${nudgeFields(typed.nudge, own.nudgeTeam?.nudge, teamTimeZone(team, installation))}
<p><button type="submit">Save</button></p>
</form>`;
  return page(
    `${team.name} settings`,
    `${settingsNotice(state)}${form}<p><a href="/installations/${installationId}/settings">Back to ${escapeHtml(installation.accountLogin)} settings</a></p>`,
    viewer,
  );
}

/** The settings page's list of teams, each with a link to its own settings. */
export function teamSettingsLinks(
  installation: InstallationRecord,
  teams: readonly StoredTeam[],
): string {
  if (teams.length === 0) return '';
  const zone = installationTimeZone(installation);
  const items = teams.map((team) => {
    const { recipients, timeZone } = team.settings;
    const digest =
      recipients.length === 0
        ? 'no team digest'
        : `digest to ${recipients.length} recipient${recipients.length === 1 ? '' : 's'}`;
    return `<li><a href="/installations/${installation.installationId}/settings/teams/${team.teamId}">${escapeHtml(team.name)}</a>: ${digest}, ${escapeHtml(timeZone ?? `${zone} (the organisation's)`)}</li>`;
  });
  return `<h2>Teams</h2><p>Each GitHub team can have its own digest and time zone.</p><ul>${items.join('')}</ul>`;
}
