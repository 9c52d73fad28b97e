import { describeIssues } from '../schema-issues.ts';
import { setAgreements, storedAgreements } from '../store/agreements.ts';
import {
  type NudgeChange,
  nudgeChangeSchema,
  readNudgeTeam,
  SlackUrlError,
  slackUrlProblem,
  updateTeamNudge,
} from '../store/nudge-settings.ts';
import { markRecentWeeks, StaleSettingsError } from '../store/settings.ts';
import {
  teamSettingsChangeSchema,
  UnknownTeamError,
  updateTeamSettings,
} from '../store/team-settings.ts';
import { readTeam, type StoredTeam } from '../store/teams.ts';
import { agreementsDiffer, formAgreements, typedAgreementForm } from './agreement-form.ts';
import {
  calendarFormChange,
  calendarRefusal,
  queuePendingHolidays,
  typedCalendarForm,
} from './calendar-form.ts';
import type { InstallationContext, InstallationPage } from './installation-pages.ts';
import { notFoundPage } from './pages/installations-page.ts';
import type { NudgeForm } from './pages/nudge-fields.ts';
import { notAdminPage } from './pages/settings-page.ts';
import { type TypedTeamSettings, teamSettingsPage } from './pages/team-settings-page.ts';
import type { DashboardDependencies } from './person-session.ts';
import { type DashboardRequest, html, redirect } from './responses.ts';
import { sameToken } from './sealed.ts';

/** The team a settings route names, while it is not deleted; undefined for any other id. */
async function namedTeam(
  request: DashboardRequest,
  deps: DashboardDependencies,
  context: InstallationContext,
): Promise<StoredTeam | undefined> {
  const id = request.parameters.teamId ?? '';
  if (!/^\d{1,15}$/.test(id)) return undefined;
  const team = await readTeam(deps.table, context.installation.installationId, Number(id));
  return team?.deletedAt === null ? team : undefined;
}

/** The team's page, its agreements and nudge read from its item. */
async function renderedPage(
  deps: DashboardDependencies,
  context: InstallationContext,
  team: StoredTeam,
  state: Parameters<typeof teamSettingsPage>[4],
): Promise<string> {
  const { installation, person } = context;
  const nudgeTeam = await readNudgeTeam(deps.table, installation.installationId, team.teamId);
  const organisation = storedAgreements(installation);
  return teamSettingsPage(installation, team, person.viewer, { nudgeTeam, organisation }, state);
}

/** A team's own settings, for the organisation's owners only (`access.ts`), as its other settings are. */
export const teamSettingsForm: InstallationPage = async (request, deps, context) => {
  const { installation, person } = context;
  if (!context.access.owner)
    return html(403, notAdminPage(installation, person.viewer, context.access));
  const team = await namedTeam(request, deps, context);
  if (!team) return html(404, notFoundPage(person.viewer));
  return html(200, await renderedPage(deps, context, team, { saved: request.query.has('saved') }));
};

/** The nudge fields of a posted form: as typed, and the change they ask for (the URL checked, never shown back). */
function postedNudge(
  form: URLSearchParams,
  deps: DashboardDependencies,
): { typed: NudgeForm; change: NudgeChange | string[] } {
  const typed = {
    hour: (form.get('nudgeHour') ?? '').trim(),
    idleDays: (form.get('idleDays') ?? '').trim(),
    email: form.get('nudgeEmail') === 'on',
  };
  const url = (form.get('slackWebhookUrl') ?? '').trim();
  const problem = url ? slackUrlProblem(url, deps.allowLoopbackSlack) : undefined;
  if (problem) return { typed, change: [`Slack webhook URL: ${problem}`] };
  if (url && !deps.slackKey)
    return { typed, change: ['Slack webhook URL: no Slack key is configured'] };
  const parsed = nudgeChangeSchema.safeParse({
    hour: typed.hour === '' ? null : Number(typed.hour),
    idleDays: Number(typed.idleDays),
    email: typed.email,
    ...(form.get('removeSlack') === 'on'
      ? { slackWebhookUrl: null }
      : url
        ? { slackWebhookUrl: url }
        : {}),
  });
  return {
    typed,
    change: parsed.success ? parsed.data : describeIssues(parsed.error, 'nudge '),
  };
}

/** A team's settings posted: validated whole as `npm run settings -- --team` validates, stored only over what the form showed. */
export const saveTeamSettings: InstallationPage = async (request, deps, context) => {
  const { installation, person } = context;
  const viewer = person.viewer;
  if (!context.access.owner) return html(403, notAdminPage(installation, viewer, context.access));
  if (!sameToken(request.form.get('csrf'), person.session.csrfToken))
    return html(403, notFoundPage(viewer));
  const team = await namedTeam(request, deps, context);
  if (!team) return html(404, notFoundPage(viewer));
  const nudge = postedNudge(request.form, deps);
  const typed: TypedTeamSettings = {
    recipients: request.form.get('recipients') ?? '',
    timeZone: (request.form.get('timeZone') ?? '').trim(),
    version: Number(request.form.get('version') ?? Number.NaN),
    calendar: typedCalendarForm(request.form),
    agreements: typedAgreementForm(request.form),
    nudge: nudge.typed,
  };
  if (!Number.isInteger(typed.version)) return html(400, notFoundPage(viewer));
  const change = teamSettingsChangeSchema.safeParse({
    recipients: typed.recipients
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    timeZone: typed.timeZone === '' ? null : typed.timeZone,
  });
  const agreements = formAgreements(typed.agreements);
  // Every part checked before the first write: one refused, nothing stored.
  const problems = [
    ...(change.success ? [] : describeIssues(change.error)),
    ...(agreements.success ? [] : describeIssues(agreements.error)),
    ...(Array.isArray(nudge.change) ? nudge.change : []),
  ];
  const refused = async (status: number, shown: readonly string[], current = team) =>
    html(status, await renderedPage(deps, context, current, { problems: shown, typed }));
  if (!change.success || !agreements.success || Array.isArray(nudge.change))
    return refused(400, problems);
  const { installationId } = installation;
  const holder = { installationId, teamId: team.teamId };
  try {
    const saved = await updateTeamSettings(
      deps.table,
      installationId,
      team.teamId,
      {
        ...change.data,
        ...calendarFormChange(
          typed.calendar,
          team.settings,
          installation,
          request.form.get('followCalendar') === 'on',
        ),
      },
      { loadedVersion: typed.version, now: deps.now() },
    );
    await queuePendingHolidays(
      deps.resolveHolidaysLater,
      holder,
      { calendar: saved.settings.workingCalendar, settingsVersion: saved.settings.settingsVersion },
      deps.now(),
    );
    const before = await readNudgeTeam(deps.table, installationId, team.teamId);
    if (agreementsDiffer(before?.agreements ?? {}, agreements.data)) {
      await setAgreements(deps.table, holder, agreements.data);
      await markRecentWeeks(deps.table, installation, deps.now());
    }
    await updateTeamNudge(deps.table, holder, nudge.change, {
      key: nudge.change.slackWebhookUrl && deps.slackKey ? await deps.slackKey() : Buffer.alloc(0),
      now: deps.now(),
      allowLoopback: deps.allowLoopbackSlack ?? false,
    });
  } catch (error) {
    const refusal =
      calendarRefusal(error) ?? (error instanceof SlackUrlError ? [error.message] : undefined);
    if (refusal) return refused(400, refusal);
    if (error instanceof UnknownTeamError) return html(404, notFoundPage(viewer));
    if (!(error instanceof StaleSettingsError)) throw error;
    const current = (await namedTeam(request, deps, context)) ?? team;
    return html(409, await renderedPage(deps, context, current, { problems: [error.message] }));
  }
  return redirect(`/installations/${installationId}/settings/teams/${team.teamId}?saved`);
};
