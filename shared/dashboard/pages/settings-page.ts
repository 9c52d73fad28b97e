import { deploymentSources, deploymentSourceWords } from '../../metrics/deployment.ts';
import { previewWeeks } from '../../rollup/rule-preview.ts';
import { storedAgreements } from '../../store/agreements.ts';
import type { InstallationRecord } from '../../store/installations.ts';
import { deliveryRules, installationTimeZone } from '../../store/installations.ts';
import { settingsVersion, weeksRerolledOnRuleChange } from '../../store/settings.ts';
import { escapeHtml } from '../../views/format.ts';
import { type AgreementForm, agreementFields, agreementForm } from './agreement-fields.ts';
import { type CalendarForm, calendarFields, calendarForm } from './calendar-fields.ts';
import { page, type Viewer } from './layout.ts';

/**
 * An installation's settings for its admins: who gets the weekly digest,
 * the time zone its weeks are cut in, whether per-person figures are
 * shown, what counts as a deployment and an incident, the working calendar
 * and the working agreements teams follow where they set none — the same fields
 * and validation as `npm run settings`. `problems` are the last post's, shown above the form
 * with what was typed.
 */
export function settingsPage(
  installation: InstallationRecord,
  viewer: Viewer,
  /** The teams' settings links (`team-settings-page.ts`). */
  teamLinks: string,
  state: {
    saved?: boolean;
    problems?: readonly string[];
    /** What was posted, with the version its form was loaded at: a refused or previewed post keeps both. */
    typed?: SettingsForm & { version: number; calendar: CalendarForm; agreements: AgreementForm };
    /** What the delivery rules typed would count (`rule-preview-section.ts`), shown above the form. */
    preview?: string;
  },
): string {
  const typed = state.typed ?? {
    ...settingsForm(installation),
    version: settingsVersion(installation),
    calendar: calendarForm(installation.workingCalendar, installation.countTime ?? 'calendar'),
    agreements: agreementForm(storedAgreements(installation)),
  };
  const { recipients, timeZone } = typed;
  const form = `<form method="post" action="/installations/${installation.installationId}/settings">
<input type="hidden" name="csrf" value="${escapeHtml(viewer.csrfToken)}">
<input type="hidden" name="version" value="${typed.version}">
<label for="recipients">Weekly digest recipients, one address a line</label>
<textarea id="recipients" name="recipients" rows="5">${escapeHtml(recipients)}</textarea>
<label for="timeZone">Time zone its weeks are cut in (IANA name, such as Europe/Berlin)</label>
<input type="text" id="timeZone" name="timeZone" value="${escapeHtml(timeZone)}">
<label><input type="checkbox" name="showAuthors"${installation.showAuthors ? ' checked' : ''}> Show figures per person (off by default: these metrics are for teams, not for ranking people)</label>
<fieldset>
<legend>Delivery (DORA): what counts</legend>
<label for="deploymentSource">A deployment is</label>
<select id="deploymentSource" name="deploymentSource">${deploymentSources
    .map(
      (value) =>
        `<option value="${value}"${value === typed.deploymentSource ? ' selected' : ''}>${escapeHtml(deploymentSourceWords[value])}</option>`,
    )
    .join('')}</select>
<label for="productionEnvironments">Production environments, for GitHub deployments (a regular expression, ignoring case)</label>
<input type="text" id="productionEnvironments" name="productionEnvironments" value="${escapeHtml(typed.productionEnvironments)}">
<label for="incidentLabels">Labels that make an issue an incident (a regular expression, ignoring case)</label>
<input type="text" id="incidentLabels" name="incidentLabels" value="${escapeHtml(typed.incidentLabels)}">
<label for="incidentWindowHours">Hours after a deployment an incident that names none still counts against it (1 to 168)</label>
<input type="number" id="incidentWindowHours" name="incidentWindowHours" min="1" max="168" value="${escapeHtml(typed.incidentWindowHours)}">
<p class="muted">A change recomputes the last ${weeksRerolledOnRuleChange} finished weeks at the next hourly rollup. Preview delivery rules shows what the rules typed would count over the last ${previewWeeks} finished weeks, beside what counts now, and saves nothing.</p>
</fieldset>
${calendarFields(typed.calendar, installation.workingCalendar)}
${agreementFields(typed.agreements)}
<p><button type="submit">Save</button> <button type="submit" name="preview" value="rules">Preview delivery rules</button></p>
</form>`;
  return page(
    `${installation.accountLogin} settings`,
    `${settingsNotice(state)}${state.preview ?? ''}${form}${teamLinks}<p><a href="/installations/${installation.installationId}">Back to ${escapeHtml(installation.accountLogin)}</a></p>`,
    viewer,
  );
}

/** Above a settings form: why the last post was refused, or that it was saved. */
export function settingsNotice(state: { saved?: boolean; problems?: readonly string[] }): string {
  return state.problems?.length
    ? `<div class="notice" role="alert"><p>Nothing was changed:</p><ul>${state.problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul></div>`
    : state.saved
      ? '<p class="notice" role="status">Saved.</p>'
      : '';
}

/** The form's fields as typed: what a refused post shows again. */
export interface SettingsForm {
  recipients: string;
  timeZone: string;
  deploymentSource: string;
  productionEnvironments: string;
  incidentLabels: string;
  incidentWindowHours: string;
}

/** The form as the installation's settings fill it. */
function settingsForm(installation: InstallationRecord): SettingsForm {
  const rules = deliveryRules(installation);
  return {
    recipients: (installation.recipients ?? []).map((recipient) => recipient.email).join('\n'),
    timeZone: installationTimeZone(installation),
    deploymentSource: rules.source,
    productionEnvironments: rules.productionPattern,
    incidentLabels: rules.incidentRules.labelPattern,
    incidentWindowHours: String(rules.incidentRules.windowHours),
  };
}

/**
 * Settings refused. GitHub tells an App a person's role only with the
 * organisation's Members permission: until an owner approves it, even
 * owners are refused, and are told why.
 */
export function notAdminPage(
  installation: InstallationRecord,
  viewer: Viewer,
  { roleNotGranted }: { roleNotGranted: boolean },
): string {
  const why = roleNotGranted
    ? "<p>GitHub did not tell Flowmeter your role in the organisation: the App's Members (read) permission has not been approved yet. An owner approves it in the organisation's settings, under GitHub Apps.</p>"
    : '';
  return page(
    `${installation.accountLogin} settings`,
    `<p>Only the organisation's owners can change its settings.</p>${why}<p><a href="/installations/${installation.installationId}">Back to ${escapeHtml(installation.accountLogin)}</a></p>`,
    viewer,
  );
}
