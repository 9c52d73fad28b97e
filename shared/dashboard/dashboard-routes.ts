import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { getInstallation } from '../store/installations.ts';
import { syncProgressView } from '../views/sync-progress-view.ts';
import { listedInstallation, maySeeRepository } from './access.ts';
import { assets } from './assets.ts';
import { SignInError } from './github-person.ts';
import {
  type InstallationPage,
  overviewPage,
  progressJson,
  scopeRoute,
  teamPage,
} from './installation-pages.ts';
import { installationsPage, notFoundPage, signInPage } from './pages/installations-page.ts';
import { Person } from './person-access.ts';
import {
  currentSession,
  type DashboardDependencies,
  finishSignIn,
  signInAgain,
  signOut,
  startSignIn,
} from './person-session.ts';
import {
  type DashboardRequest,
  type DashboardResponse,
  dashboardRequest,
  dashboardResult,
  html,
  redirect,
} from './responses.ts';
import { saveSettings, settingsForm } from './settings-pages.ts';
import { saveTeamSettings, teamSettingsForm } from './team-settings-pages.ts';
import {
  aiAssistedListPage,
  csvDownload,
  deploymentListPage,
  incidentListPage,
  mergedListPage,
} from './week-lists.ts';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;
/** The dependencies, once the dashboard's secret is read (cached by its source). */
export type DependencySource = () => Promise<DashboardDependencies>;
type Page = (request: DashboardRequest, deps: DashboardDependencies) => Promise<DashboardResponse>;

/**
 * The dashboard, for middy's router: sign in with GitHub, then the
 * installations GitHub lists for the person and, within each, what GitHub
 * lets them see (`access.ts`). An installation or repository they may not
 * see is a 404 like any page that does not exist, so its existence is not
 * given away.
 */
export function dashboardRoutes(source: DependencySource): Route<Event, Result>[] {
  const route = (method: 'GET' | 'POST', path: string, page: Page): Route<Event, Result> => ({
    method,
    path,
    handler: async (event: Event) => {
      const deps = await source();
      return dashboardResult(await page(dashboardRequest(event), deps), deps.signIn);
    },
  });
  const installation = (path: string) => `/installations/{installationId}${path}`;
  return [
    route('GET', '/assets/{file}', async (request) => asset(request.parameters.file ?? '')),
    route('GET', '/login', startSignIn),
    route('GET', '/login/callback', finishSignIn),
    route('POST', '/logout', signOut),
    route('GET', '/', home),
    route('GET', installation(''), ofInstallation(overviewPage)),
    route('GET', installation('/progress.json'), ofInstallation(progressJson)),
    route('GET', installation('/pull-requests.csv'), ofInstallation(csvDownload)),
    route('GET', installation('/weeks/{week}'), ofInstallation(mergedListPage)),
    route('GET', installation('/weeks/{week}/deployments'), ofInstallation(deploymentListPage)),
    route('GET', installation('/weeks/{week}/incidents'), ofInstallation(incidentListPage)),
    route('GET', installation('/weeks/{week}/ai-assisted'), ofInstallation(aiAssistedListPage)),
    route('GET', installation('/repositories/{id}'), ofInstallation(scopeRoute('repositories'))),
    route('GET', installation('/authors/{id}'), ofInstallation(scopeRoute('authors'))),
    route('GET', installation('/teams/{id}'), ofInstallation(teamPage)),
    route('GET', installation('/settings'), ofInstallation(settingsForm)),
    route('POST', installation('/settings'), ofInstallation(saveSettings)),
    route('GET', installation('/settings/teams/{teamId}'), ofInstallation(teamSettingsForm)),
    route('POST', installation('/settings/teams/{teamId}'), ofInstallation(saveTeamSettings)),
    // Dynamic routes match in order: anything else is a page that does not exist.
    route('GET', '/{proxy+}', async () => html(404, notFoundPage(null))),
    route('POST', '/{proxy+}', async () => html(404, notFoundPage(null))),
  ];
}

function asset(name: string): DashboardResponse {
  const file = assets[name];
  if (!file) return html(404, notFoundPage(null));
  return {
    status: 200,
    headers: { 'content-type': file.contentType, 'cache-control': 'public, max-age=300' },
    body: file.body,
  };
}

/** Anyone not signed in is sent to sign in, and comes back after; a form post of theirs is refused. */
const toSignIn: Page = async (request) =>
  request.method === 'GET'
    ? redirect(`/login?return=${encodeURIComponent(request.path)}`)
    : html(403, notFoundPage(null));

/** A page for a signed-in person, `anonymous` for anyone else. */
function signedIn(
  page: (
    request: DashboardRequest,
    deps: DashboardDependencies,
    person: Person,
  ) => Promise<DashboardResponse>,
  anonymous: Page = toSignIn,
): Page {
  return async (request, deps) => {
    const session = await currentSession(request, deps);
    if (!session) return anonymous(request, deps);
    try {
      return await page(request, deps, new Person(session, deps));
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      return signInAgain(request, deps, session);
    }
  };
}

/** A page of an installation GitHub lists for the person; any other is a 404. */
function ofInstallation(page: InstallationPage): Page {
  return signedIn(async (request, deps, person) => {
    const id = request.parameters.installationId ?? '';
    const listed = /^\d{1,15}$/.test(id)
      ? listedInstallation(await person.installations(), Number(id))
      : undefined;
    const installation = listed && (await getInstallation(deps.table, listed.id));
    if (!listed || !installation || installation.status === 'deleted')
      return html(404, notFoundPage(person.viewer));
    const access = await person.access(listed);
    return page(request, deps, { person, listed, installation, access });
  });
}

/** The front page: the way in, or the person's installations with their visible repositories' syncs. */
const home: Page = signedIn(
  async (_request, deps, person) => {
    const cards = await Promise.all(
      (await person.installations()).map(async (listed) => {
        const access = await person.access(listed);
        const repositories = await syncProgressView(deps.table, listed.id);
        return {
          installationId: listed.id,
          accountLogin: listed.accountLogin,
          repositories: repositories.filter((repo) => maySeeRepository(access, repo.id)),
        };
      }),
    );
    return html(200, installationsPage(cards, person.viewer));
  },
  async () => html(200, signInPage()),
);
