import { describeIssues } from '../schema-issues.ts';
import { StaleSettingsError } from '../store/settings.ts';
import {
  teamSettingsChangeSchema,
  UnknownTeamError,
  updateTeamSettings,
} from '../store/team-settings.ts';
import { readTeam, type StoredTeam } from '../store/teams.ts';
import { calendarFormChange, calendarRefusal, typedCalendarForm } from './calendar-form.ts';
import type { InstallationContext, InstallationPage } from './installation-pages.ts';
import { notFoundPage } from './pages/installations-page.ts';
import { notAdminPage } from './pages/settings-page.ts';
import { teamSettingsPage } from './pages/team-settings-page.ts';
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

/** A team's own settings, for the organisation's owners only (`access.ts`), as its other settings are. */
export const teamSettingsForm: InstallationPage = async (request, deps, context) => {
  const { installation, person } = context;
  if (!context.access.owner)
    return html(403, notAdminPage(installation, person.viewer, context.access));
  const team = await namedTeam(request, deps, context);
  if (!team) return html(404, notFoundPage(person.viewer));
  return html(
    200,
    teamSettingsPage(installation, team, person.viewer, { saved: request.query.has('saved') }),
  );
};

/** A team's settings posted: validated as `npm run settings -- --team` validates, stored only over what the form showed. */
export const saveTeamSettings: InstallationPage = async (request, deps, context) => {
  const { installation, person } = context;
  const viewer = person.viewer;
  if (!context.access.owner) return html(403, notAdminPage(installation, viewer, context.access));
  if (!sameToken(request.form.get('csrf'), person.session.csrfToken))
    return html(403, notFoundPage(viewer));
  const team = await namedTeam(request, deps, context);
  if (!team) return html(404, notFoundPage(viewer));
  const typed = {
    recipients: request.form.get('recipients') ?? '',
    timeZone: (request.form.get('timeZone') ?? '').trim(),
    version: Number(request.form.get('version') ?? Number.NaN),
    calendar: typedCalendarForm(request.form),
  };
  if (!Number.isInteger(typed.version)) return html(400, notFoundPage(viewer));
  const change = teamSettingsChangeSchema.safeParse({
    recipients: typed.recipients
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    timeZone: typed.timeZone === '' ? null : typed.timeZone,
  });
  if (!change.success)
    return html(
      400,
      teamSettingsPage(installation, team, viewer, {
        problems: describeIssues(change.error),
        typed,
      }),
    );
  const { installationId } = installation;
  try {
    await updateTeamSettings(
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
  } catch (error) {
    const refusal = calendarRefusal(error);
    if (refusal)
      return html(400, teamSettingsPage(installation, team, viewer, { problems: refusal, typed }));
    if (error instanceof UnknownTeamError) return html(404, notFoundPage(viewer));
    if (!(error instanceof StaleSettingsError)) throw error;
    const current = (await namedTeam(request, deps, context)) ?? team;
    return html(
      409,
      teamSettingsPage(installation, current, viewer, { problems: [error.message] }),
    );
  }
  return redirect(`/installations/${installationId}/settings/teams/${team.teamId}?saved`);
};
