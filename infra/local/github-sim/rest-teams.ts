import type { Dataset } from './dataset.ts';
import { paginate, type RestContext, type RestRequest, type Route } from './rest-api.ts';
import { mayRead } from './rest-objects.ts';
import { notAccessible, notFound, type RestReply } from './rest-reply.ts';
import { restTeam, restTeamMember, restTeamMembership } from './team-objects.ts';
import type { SimTeam } from './teams.ts';

/**
 * The organisation's teams over REST, for its installation: every team
 * (secret ones too: the App reads for the organisation, not for a person),
 * members as of the request's instant. Each needs the organisation
 * permission "Members" (read) — 403 "Resource not accessible by
 * integration" without it, as GitHub's "Permissions required for GitHub
 * Apps" lists (https://docs.github.com/rest/authentication/permissions-required-for-github-apps#organization-permissions-for-members).
 */
const segment = '([^/]+)';
const docs = 'https://docs.github.com/rest/teams';

/** The installation's own organisation named in the path, or why not. */
function organisationOf(
  request: RestRequest,
  context: RestContext,
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
  context: RestContext,
  documentation: string,
): { dataset: Dataset; team: SimTeam } | { refusal: RestReply } {
  const found = organisationOf(request, context, documentation);
  if ('refusal' in found) return found;
  const team = found.dataset.teams.bySlug(decodeURIComponent(request.params[1] ?? ''));
  return team ? { dataset: found.dataset, team } : { refusal: notFound };
}

export const teamRoutes: Route[] = [
  [
    'GET',
    new RegExp(`^/orgs/${segment}/teams$`),
    (request, context) => {
      const found = organisationOf(request, context, `${docs}/teams#list-teams`);
      if ('refusal' in found) return found.refusal;
      const { dataset } = found;
      const teams = dataset.teams.list();
      const page = paginate(request.url, context.baseUrl, teams.length, (offset, limit) =>
        teams.slice(offset, offset + limit).map((team) => restTeam(dataset.organisation, team)),
      );
      return { status: 200, body: page.items, headers: page.headers };
    },
  ],
  [
    'GET',
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
    'GET',
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
