import type { InstallationRecord } from '../../store/installations.ts';
import { installationTimeZone } from '../../store/installations.ts';
import { escapeHtml } from '../../views/format.ts';
import { page, type Viewer } from './layout.ts';

/**
 * An installation's settings for its admins: who gets the weekly digest,
 * the time zone its weeks are cut in, and whether per-person figures are
 * shown — the same fields and validation as `npm run settings`. `problems` are the last post's, shown above the form
 * with what was typed.
 */
export function settingsPage(
  installation: InstallationRecord,
  viewer: Viewer,
  state: {
    saved?: boolean;
    problems?: readonly string[];
    typed?: { recipients: string; timeZone: string };
  },
): string {
  const recipients =
    state.typed?.recipients ??
    (installation.recipients ?? []).map((recipient) => recipient.email).join('\n');
  const timeZone = state.typed?.timeZone ?? installationTimeZone(installation);
  const notice = state.problems?.length
    ? `<div class="notice" role="alert"><p>Nothing was changed:</p><ul>${state.problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul></div>`
    : state.saved
      ? '<p class="notice" role="status">Saved.</p>'
      : '';
  const form = `<form method="post" action="/installations/${installation.installationId}/settings">
<input type="hidden" name="csrf" value="${escapeHtml(viewer.csrfToken)}">
<label for="recipients">Weekly digest recipients, one address a line</label>
<textarea id="recipients" name="recipients" rows="5">${escapeHtml(recipients)}</textarea>
<label for="timeZone">Time zone its weeks are cut in (IANA name, such as Europe/Berlin)</label>
<input type="text" id="timeZone" name="timeZone" value="${escapeHtml(timeZone)}">
<label><input type="checkbox" name="showAuthors"${installation.showAuthors ? ' checked' : ''}> Show figures per person (off by default: these metrics are for teams, not for ranking people)</label>
<p><button type="submit">Save</button></p>
</form>`;
  return page(
    `${installation.accountLogin} settings`,
    `${notice}${form}<p><a href="/installations/${installation.installationId}">Back to ${escapeHtml(installation.accountLogin)}</a></p>`,
    viewer,
  );
}

export function notAdminPage(installation: InstallationRecord, viewer: Viewer): string {
  return page(
    `${installation.accountLogin} settings`,
    `<p>Only the organisation's owners can change its settings.</p><p><a href="/installations/${installation.installationId}">Back to ${escapeHtml(installation.accountLogin)}</a></p>`,
    viewer,
  );
}
