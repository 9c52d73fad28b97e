import { arrayList, type ConnectionArgs, connection } from './connection.ts';
import type { Dataset } from './dataset.ts';
import { actor, ForbiddenError, NotFoundError } from './graphql-resolvers.ts';
import { type AppPermissions, mayRead, nodeId } from './rest-objects.ts';
import type { SimTeam, TeamMember, TeamMembershipType, TeamPrivacy, TeamRole } from './teams.ts';

/**
 * `organization(login) { teams team(slug) }` as GitHub answers an
 * installation: every team of its organisation, secret ones too, with
 * members as of the request's instant. Both fields need the organisation
 * permission "Members" (read); without it GitHub refuses them with a
 * FORBIDDEN error, and since `teams` is non-null the refusal nulls the
 * whole `organization` (GraphQL's null propagation).
 */
export interface TeamsAccess {
  permissions: AppPermissions;
  /** The instant membership is read at (epoch ms): the simulator's now. */
  at: number;
}

interface TeamsArgs extends ConnectionArgs {
  privacy?: TeamPrivacy | null;
  rootTeamsOnly?: boolean | null;
  userLogins?: string[] | null;
  query?: string | null;
  orderBy?: { field: 'NAME'; direction: 'ASC' | 'DESC' } | null;
  role?: unknown;
  ldapMapped?: unknown;
  notificationSetting?: unknown;
}

interface MembersArgs extends ConnectionArgs {
  membership?: TeamMembershipType | null;
  role?: TeamRole | null;
  query?: string | null;
  orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null;
}

export function organizationField(dataset: Dataset, access: TeamsAccess) {
  return ({ login }: { login: string }) => {
    // GitHub would show another organisation's public face; the simulator serves only the
    // installation's own, and refuses the rest rather than answer them wrongly.
    if (login.toLowerCase() !== dataset.organisation.login.toLowerCase())
      throw new NotFoundError(`Could not resolve to an Organization with the login of '${login}'.`);
    return organization(dataset, access);
  };
}

function organization(dataset: Dataset, access: TeamsAccess) {
  const org = dataset.organisation;
  const refuseWithoutMembers = () => {
    if (!mayRead(access.permissions, 'members')) throw new ForbiddenError();
  };
  const node = (team: SimTeam) => teamNode(dataset, access, team);
  return {
    ...actor(org),
    id: nodeId('Organization', org.id),
    name: org.login,
    teams: (args: TeamsArgs) => {
      refuseWithoutMembers();
      return connection(arrayList(listedTeams(dataset, access, args).map(node)), args);
    },
    team: ({ slug }: { slug: string }) => {
      refuseWithoutMembers();
      const team = dataset.teams.bySlug(slug);
      return team ? node(team) : null;
    },
  };
}

function listedTeams(dataset: Dataset, access: TeamsAccess, args: TeamsArgs): SimTeam[] {
  const unanswered = (['role', 'ldapMapped', 'notificationSetting'] as const).filter(
    (name) => args[name] != null,
  );
  if (unanswered.length > 0)
    throw new Error(
      `the simulator's organization.teams does not filter by ${unanswered.join(', ')}`,
    );
  const logins = args.userLogins?.map((login) => login.toLowerCase());
  const query = args.query?.toLowerCase();
  const listed = dataset.teams
    .list()
    .filter(
      (team) =>
        (!args.privacy || team.privacy === args.privacy) &&
        (!args.rootTeamsOnly || team.parent === null) &&
        (!query || team.name.toLowerCase().includes(query) || team.slug.includes(query)) &&
        (!logins ||
          dataset.teams
            .members(team, access.at, 'IMMEDIATE')
            .some(({ user }) => logins.includes(user.login.toLowerCase()))),
    );
  return args.orderBy?.direction === 'DESC' ? listed.reverse() : listed;
}

function teamNode(dataset: Dataset, access: TeamsAccess, team: SimTeam): object {
  const org = dataset.organisation.login;
  const url = `https://github.com/orgs/${org}/teams/${team.slug}`;
  const node = (other: SimTeam) => teamNode(dataset, access, other);
  const ancestors: SimTeam[] = [];
  for (let up = team.parent; up; up = up.parent) ancestors.push(up);
  return {
    __typename: 'Team',
    id: nodeId('Team', team.id),
    databaseId: team.id,
    slug: team.slug,
    combinedSlug: `${org}/${team.slug}`,
    name: team.name,
    description: team.description,
    privacy: team.privacy,
    notificationSetting: 'NOTIFICATIONS_ENABLED',
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
    url,
    resourcePath: `/orgs/${org}/teams/${team.slug}`,
    membersUrl: `${url}/members`,
    membersResourcePath: `/orgs/${org}/teams/${team.slug}/members`,
    parentTeam: () => (team.parent ? node(team.parent) : null),
    ancestors: (args: ConnectionArgs) => connection(arrayList(ancestors.map(node)), args),
    childTeams: (args: ConnectionArgs & { immediateOnly?: boolean | null }) => {
      const below = (of: SimTeam): SimTeam[] =>
        dataset.teams
          .children(of)
          .flatMap((child) => (args.immediateOnly === false ? [child, ...below(child)] : [child]));
      return connection(arrayList(below(team).map(node)), args);
    },
    members: (args: MembersArgs) =>
      memberConnection(org, listedMembers(dataset, access, team, args), args),
  };
}

function listedMembers(
  dataset: Dataset,
  access: TeamsAccess,
  team: SimTeam,
  args: MembersArgs,
): TeamMember[] {
  if (args.orderBy && args.orderBy.field !== 'LOGIN')
    throw new Error(`the simulator orders team members by LOGIN only, not ${args.orderBy.field}`);
  const query = args.query?.toLowerCase();
  const listed = dataset.teams
    .members(team, access.at, args.membership ?? 'ALL')
    .filter(
      (member) =>
        (!args.role || member.role === args.role) &&
        (!query || member.user.login.toLowerCase().includes(query)),
    );
  return args.orderBy?.direction === 'DESC' ? listed.reverse() : listed;
}

/** TeamMemberConnection: its edges carry the member's role on the team. */
function memberConnection(org: string, members: TeamMember[], args: MembersArgs) {
  const page = connection(arrayList(members), args);
  return {
    ...page,
    nodes: page.nodes.map((member) => actor(member.user)),
    edges: page.edges.map(({ cursor, node: member }) => ({
      cursor,
      node: actor(member.user),
      role: member.role,
      memberAccessUrl: `https://github.com/orgs/${org}/people/${member.user.login}`,
      memberAccessResourcePath: `/orgs/${org}/people/${member.user.login}`,
    })),
  };
}
