import type { Dataset } from './dataset.ts';
import { paginate, type RestRequest, type Route } from './rest-api.ts';
import { type AppPermissions, mayRead } from './rest-objects.ts';
import { notAccessible, notFound, type RestReply } from './rest-reply.ts';
import { restTeam, restTeamMember, restTeamMembership } from './team-objects.ts';
import type { SimTeam } from './teams.ts';

/**
 * The organisation's teams over REST, members as of the request's instant.
 * An installation sees every team, secret ones too (it reads for the
 * organisation, not for a person); a signed-in person sees what GitHub's
 * team privacy shows them: an owner every team, a member the visible ones
 * and the secret ones they are in ("secret - only visible to organization
 * owners and members of this team", https://docs.github.com/rest/teams/teams#create-a-team).
 * Either way each endpoint needs the App's organisation permission
 * "Members" (read) — 403 "Resource not accessible by integration" without
 * it, as GitHub's "Permissions required for GitHub Apps" lists
 * (https://docs.github.com/rest/authentication/permissions-required-for-github-apps#organization-permissions-for-members).
 */
export interface TeamsContext {
  dataset: Dataset;
  permissions: AppPermissions;
  /** The instant of the request (epoch ms). */
  at: number;
  baseUrl: string;
  /** Whether the caller may see a team (GitHub answers 404 for one they may not). */
  sees: (team: SimTeam) => boolean;
}

type TeamHandler = (request: RestRequest, context: TeamsContext) => RestReply;

const segment = '([^/]+)';
const docs = 'https://docs.github.com/rest/teams';

/** The caller's organisation named in the path, or why not. */
function organisationOf(
  request: RestRequest,
  context: TeamsContext,
  documentation: string,
): { dataset: Dataset } | { refusal: RestReply } {
  const { dataset } = context;
  if (request.params[0]?.toLowerCase() !== dataset.organisation.login.toLowerCase())
    return { refusal: notFound };
  if (!mayRead(context.permissions, 'members'))
    return { refusal: notAccessible(documentation, 'members=read') };
  return { dataset };
}

function teamOf(
  request: RestRequest,
  context: TeamsContext,
  documentation: string,
): { dataset: Dataset; team: SimTeam } | { refusal: RestReply } {
  const found = organisationOf(request, context, documentation);
  if ('refusal' in found) return found;
  const team = found.dataset.teams.bySlug(decodeURIComponent(request.params[1] ?? ''));
  return team && context.sees(team) ? { dataset: found.dataset, team } : { refusal: notFound };
}

const handlers: [name: string, path: RegExp, handle: TeamHandler][] = [
  [
    '/orgs/{org}/teams',
    new RegExp(`^/orgs/${segment}/teams$`),
    (request, context) => {
      const found = organisationOf(request, context, `${docs}/teams#list-teams`);
      if ('refusal' in found) return found.refusal;
      const { dataset } = found;
      const teams = dataset.teams.list().filter(context.sees);
      const page = paginate(request.url, context.baseUrl, teams.length, (offset, limit) =>
        teams.slice(offset, offset + limit).map((team) => restTeam(dataset.organisation, team)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    '/orgs/{org}/teams/{team_slug}/members',
    new RegExp(`^/orgs/${segment}/teams/${segment}/members$`),
    (request, context) => {
      const found = teamOf(request, context, `${docs}/members#list-team-members`);
      if ('refusal' in found) return found.refusal;
      // "Team members will include the members of child teams."
      const role = request.url.searchParams.get('role') ?? 'all';
      const members = found.dataset.teams
        .members(found.team, context.at, 'ALL')
        .map(restTeamMember)
        .filter((member) => role === 'all' || member.role === role);
      const page = paginate(request.url, context.baseUrl, members.length, (offset, limit) =>
        members.slice(offset, offset + limit),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    '/orgs/{org}/teams/{team_slug}/memberships/{username}',
    new RegExp(`^/orgs/${segment}/teams/${segment}/memberships/${segment}$`),
    (request, context) => {
      const found = teamOf(request, context, `${docs}/members#get-team-membership-for-a-user`);
      if ('refusal' in found) return found.refusal;
      const login = decodeURIComponent(request.params[2] ?? '').toLowerCase();
      const member = found.dataset.teams
        .members(found.team, context.at, 'ALL')
        .find(({ user }) => user.login.toLowerCase() === login);
      // 404 "if user has no team membership".
      if (!member) return notFound;
      return {
        status: 200,
        body: restTeamMembership(found.dataset.organisation, found.team, member.user, member.role),
      };
    },
  ],
];

/** The team endpoints as an installation calls them. */
export const teamRoutes: Route[] = handlers.map(([, path, handle]) => [
  'GET',
  path,
  (request, context) => handle(request, { ...context, sees: () => true }),
]);

/** The team endpoint a path names, for a person's token: its route name and how to answer it. */
export function teamRouteFor(pathname: string) {
  for (const [name, path, handle] of handlers) {
    const match = path.exec(pathname);
    if (match) return { name, params: match.slice(1), handle };
  }
  return undefined;
}
