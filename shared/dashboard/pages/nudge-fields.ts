import { defaultWaitingRules } from '../../metrics/waiting-list.ts';
import type { NudgeSettings } from '../../store/nudge-settings.ts';
import { escapeHtml } from '../../views/format.ts';

/** The nudge fields as typed; the Slack URL never: a refused post shows its field empty again. */
export interface NudgeForm {
  /** 0–23, or empty: no nudge. */
  hour: string;
  idleDays: string;
  email: boolean;
}

export function nudgeForm(nudge: NudgeSettings | undefined): NudgeForm {
  return {
    hour: nudge?.hour === undefined ? '' : String(nudge.hour),
    idleDays: String(nudge?.idleDays ?? defaultWaitingRules.idleDays),
    email: nudge?.email ?? true,
  };
}

/**
 * A team's morning nudge: its hour on the team's clock, the days that make
 * a PR idle, email on or off, and a Slack incoming webhook — an empty field
 * with the stored URL's hint beside it (empty keeps it; a checkbox removes
 * it), and a failure Slack gave, as the notifier recorded it.
 */
export function nudgeFields(
  typed: NudgeForm,
  stored: NudgeSettings | undefined,
  zone: string,
): string {
  const hours = Array.from({ length: 24 }, (_, hour) => String(hour));
  const slack = stored?.slack;
  const failure = slack?.failure
    ? `<p class="notice" role="alert">Slack refused this webhook on ${escapeHtml(slack.failure.at.slice(0, 10))} (${slack.failure.status} ${escapeHtml(slack.failure.error)}): nothing is posted to it until a new URL is set.</p>`
    : '';
  const current = slack
    ? `<p id="slackCurrent">Now: <code>${escapeHtml(slack.hint)}</code> (leave the field empty to keep it)</p>
<label><input type="checkbox" name="removeSlack"> Remove the Slack webhook</label>`
    : '<p id="slackCurrent">Now: none</p>';
  return `<fieldset>
<legend>Morning nudge</legend>
<label for="nudgeHour">Send at (hour on the team's clock, ${escapeHtml(zone)}, on its working days)</label>
<select id="nudgeHour" name="nudgeHour"><option value=""${typed.hour === '' ? ' selected' : ''}>No nudge</option>${hours
    .map(
      (hour) =>
        `<option value="${hour}"${typed.hour === hour ? ' selected' : ''}>${hour.padStart(2, '0')}:00</option>`,
    )
    .join('')}</select>
<label for="idleDays">A PR with no activity for this many days is idle (1 to 90)</label>
<input type="number" id="idleDays" name="idleDays" min="1" max="90" value="${escapeHtml(typed.idleDays)}">
<label><input type="checkbox" name="nudgeEmail"${typed.email ? ' checked' : ''}> Email it to the team's digest recipients</label>
<label for="slackWebhookUrl">Slack incoming webhook URL (https://hooks.slack.com/…)</label>
<input type="url" id="slackWebhookUrl" name="slackWebhookUrl" value="" autocomplete="off" aria-describedby="slackCurrent">
${current}
${failure}
</fieldset>`;
}
