import { tableSource } from '../rollup/delivery-histories.ts';
import { rulePreview } from '../rollup/rule-preview.ts';
import { rollupZones } from '../rollup/week-span.ts';
import { describeIssues } from '../schema-issues.ts';
import { setAgreements, storedAgreements } from '../store/agreements.ts';
import { deliveryRules, getInstallation, type InstallationRecord } from '../store/installations.ts';
import {
  checkedCalendarChange,
  markRecentWeeks,
  StaleSettingsError,
  settingsChangeSchema,
  settingsVersion,
  typedHours,
  updateSettings,
  withRules,
} from '../store/settings.ts';
import { readTeams, type StoredTeam } from '../store/teams.ts';
import { agreementsDiffer, formAgreements, typedAgreementForm } from './agreement-form.ts';
import {
  calendarFormChange,
  calendarRefusal,
  queuePendingHolidays,
  typedCalendarForm,
} from './calendar-form.ts';
import type { InstallationPage } from './installation-pages.ts';
import { notFoundPage } from './pages/installations-page.ts';
import { rulePreviewSection } from './pages/rule-preview-section.ts';
import { notAdminPage, type SettingsForm, settingsPage } from './pages/settings-page.ts';
import { teamSettingsLinks } from './pages/team-settings-page.ts';
import type { DashboardDependencies } from './person-session.ts';
import { html, redirect } from './responses.ts';
import { sameToken } from './sealed.ts';

/** An installation's settings, for its owners only (`access.ts`). */
export const settingsForm: InstallationPage = async (request, deps, context) => {
  const { installation, person } = context;
  if (!context.access.owner)
    return html(403, notAdminPage(installation, person.viewer, context.access));
  return html(
    200,
    settingsPage(installation, person.viewer, await teamLinks(deps, installation), {
      saved: request.query.has('saved'),
    }),
  );
};

/** The installation's teams (not deleted), each linked to its own settings. */
async function teamLinks(
  deps: DashboardDependencies,
  installation: InstallationRecord,
): Promise<string> {
  const { teams } = await readTeams(deps.table, installation.installationId, 'no team');
  return linksOf(installation, teams);
}

function linksOf(installation: InstallationRecord, teams: readonly StoredTeam[]): string {
  return teamSettingsLinks(
    installation,
    teams.filter((team) => team.deletedAt === null),
  );
}

/**
 * A settings form posted: validated as `npm run settings` validates, and
 * stored only over the settings the form was loaded with — or, with
 * "Preview", validated alike and shown again with what its delivery rules
 * would count, storing nothing.
 */
export const saveSettings: InstallationPage = async (request, deps, context) => {
  const { installation, person } = context;
  const viewer = person.viewer;
  if (!context.access.owner) return html(403, notAdminPage(installation, viewer, context.access));
  if (!sameToken(request.form.get('csrf'), person.session.csrfToken))
    return html(403, notFoundPage(viewer));
  const field = (name: keyof SettingsForm) => (request.form.get(name) ?? '').trim();
  const typed = {
    recipients: request.form.get('recipients') ?? '',
    timeZone: field('timeZone'),
    deploymentSource: field('deploymentSource'),
    productionEnvironments: field('productionEnvironments'),
    incidentLabels: field('incidentLabels'),
    incidentWindowHours: field('incidentWindowHours'),
    version: Number(request.form.get('version') ?? Number.NaN),
    calendar: typedCalendarForm(request.form),
    agreements: typedAgreementForm(request.form),
  };
  // A form without the version it was loaded at cannot be told from a stale one.
  if (!Number.isInteger(typed.version)) return html(400, notFoundPage(viewer));
  const rules = deliveryRules(installation);
  // A rule left as it was is not stored: an installation on the defaults keeps following them.
  const changed = <T>(value: T, current: T) => (value === current ? undefined : value);
  const change = settingsChangeSchema.safeParse({
    showAuthors: request.form.get('showAuthors') === 'on',
    recipients: typed.recipients
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    timeZone: typed.timeZone,
    deploymentSource: changed(typed.deploymentSource, rules.source),
    productionEnvironments: changed(typed.productionEnvironments, rules.productionPattern),
    incidentLabels: changed(typed.incidentLabels, rules.incidentRules.labelPattern),
    incidentWindowHours: changed(
      typedHours(typed.incidentWindowHours),
      rules.incidentRules.windowHours,
    ),
  });
  const agreements = formAgreements(typed.agreements);
  // Both checked before the first write: one refused, nothing stored.
  if (!change.success || !agreements.success)
    return html(
      400,
      settingsPage(installation, viewer, await teamLinks(deps, installation), {
        problems: [
          ...(change.success ? [] : describeIssues(change.error)),
          ...(agreements.success ? [] : describeIssues(agreements.error)),
        ],
        typed,
      }),
    );
  const { installationId } = installation;
  if (request.form.has('preview')) {
    const calendar = calendarFormChange(typed.calendar, installation);
    const refusal = refused(() => checkedCalendarChange(installation, calendar, change.data));
    const { teams } = await readTeams(deps.table, installationId, 'no team');
    const links = linksOf(installation, teams);
    if (refusal)
      return html(400, settingsPage(installation, viewer, links, { problems: refusal, typed }));
    const preview = await rulePreview(
      tableSource(deps.table, installationId),
      installation,
      withRules(installation, change.data),
      rollupZones(installation, teams),
      deps.now(),
    );
    return html(
      200,
      settingsPage(installation, viewer, links, { typed, preview: rulePreviewSection(preview) }),
    );
  }
  try {
    const saved = await updateSettings(
      deps.table,
      installationId,
      { ...change.data, ...calendarFormChange(typed.calendar, installation) },
      deps.now(),
      typed.version,
    );
    await queuePendingHolidays(
      deps.resolveHolidaysLater,
      { installationId },
      { calendar: saved.workingCalendar, settingsVersion: settingsVersion(saved) },
      deps.now(),
    );
    if (agreementsDiffer(storedAgreements(installation), agreements.data)) {
      await setAgreements(deps.table, { installationId }, agreements.data);
      await markRecentWeeks(deps.table, installation, deps.now());
    }
  } catch (error) {
    const refusal = calendarRefusal(error);
    if (refusal)
      return html(
        400,
        settingsPage(installation, viewer, await teamLinks(deps, installation), {
          problems: refusal,
          typed,
        }),
      );
    if (!(error instanceof StaleSettingsError)) throw error;
    const current = (await getInstallation(deps.table, installationId)) ?? installation;
    return html(
      409,
      settingsPage(current, viewer, await teamLinks(deps, current), { problems: [error.message] }),
    );
  }
  return redirect(`/installations/${installationId}/settings?saved`);
};

/** Why a calendar check refuses, or undefined when it passes; any other error is thrown on. */
function refused(check: () => unknown): string[] | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    const refusal = calendarRefusal(error);
    if (!refusal) throw error;
    return refusal;
  }
}
