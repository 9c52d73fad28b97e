import type { Dataset, SimRepository, SimUser } from './dataset.ts';
import { paginate } from './rest-api.ts';
import {
  type AppPermissions,
  api,
  mayRead,
  restInstallation,
  restOrganization,
  restPublicUser,
  restRepository,
  restUser,
} from './rest-objects.ts';
import { notAccessible, notFound, type RestReply } from './rest-reply.ts';
import { teamRouteFor } from './rest-teams.ts';

/**
 * What a signed-in person's `ghu_` token reads: themselves, the App's
 * installations GitHub lists for them, the repositories of one of them they
 * can reach, their membership of an organisation, and its teams as team
 * privacy shows them (rest-teams.ts). GitHub decides per
 * repository, and lists an installation for anyone with explicit access to
 * one of its repositories ("repositories where they are a collaborator, and
 * repositories that they can access through an organization membership"),
 * so beside the organisations' members the simulator plays people who reach
 * only part of the first organisation's installation.
 */

/** A person GitHub knows who belongs to no organisation of the simulator's. */
export const outsider: SimUser = { id: 99_000_001, login: 'octo-outsider', type: 'User' };
/** Not a member: an outside collaborator on the first organisation's first public repository. */
export const outsideCollaborator: SimUser = {
  id: 99_000_002,
  login: 'octo-collaborator',
  type: 'User',
};
/** A member (role member) of the first organisation kept out of its first private repository. */
export const restrictedMember: SimUser = { id: 99_000_003, login: 'octo-restricted', type: 'User' };

/** The people beside the organisations' members, in the order the authorize page shows them. */
export const guests: readonly SimUser[] = [outsider, outsideCollaborator, restrictedMember];

/**
 * Which repository of the first organisation each partial person concerns,
 * chosen from the dataset as it is generated (none when it has no such one).
 */
export function partialAccess(first: Dataset) {
  return {
    collaborator: {
      user: outsideCollaborator,
      repository: first.repositories.find((repo) => !repo.private),
    },
    restricted: {
      user: restrictedMember,
      withheld: first.repositories.find((repo) => repo.private),
    },
  };
}

/** One of the App's installations, as the person endpoints need it. */
interface UserInstallation {
  installationId: number;
  dataset: Dataset;
  permissions: AppPermissions;
}

export interface UserContext {
  /** Every installation, the first organisation's first. */
  installations: readonly UserInstallation[];
  appId: number;
  /** False for repositories that have disappeared (fault injection). */
  visible: (repo: SimRepository) => boolean;
  baseUrl: string;
  /** The instant of the request (epoch ms): teams answer with their members then. */
  at: number;
}

/** GitHub's repository roles the simulated people hold, as `permissions` spells them. */
const repositoryPermissions = {
  admin: { admin: true, maintain: true, push: true, triage: true, pull: true },
  write: { admin: false, maintain: false, push: true, triage: true, pull: true },
};

interface Access {
  /** Their organisation role, null for a collaborator who is no member. */
  membership: 'admin' | 'member' | null;
  repositories: { repository: SimRepository; role: keyof typeof repositoryPermissions }[];
}

/**
 * What a person reaches in one installation, or null: an organisation's owner
 * (its first member) administers every repository, its other members write
 * to every one, and the two partial people reach what their names say.
 */
function accessOf(person: SimUser, installation: UserInstallation, first: Dataset): Access | null {
  const { dataset } = installation;
  const every = (role: 'admin' | 'write') =>
    dataset.repositories.map((repository) => ({ repository, role }));
  // Its people, less any who left it (team activity): they reach none of it, as on GitHub.
  if (dataset.teams.isInOrganisation(person)) {
    const owner = dataset.members.find((member) => member.type === 'User');
    return person.id === owner?.id
      ? { membership: 'admin', repositories: every('admin') }
      : { membership: 'member', repositories: every('write') };
  }
  if (dataset !== first) return null;
  const { collaborator, restricted } = partialAccess(first);
  if (person.id === restricted.user.id)
    return {
      membership: 'member',
      repositories: every('write').filter(({ repository }) => repository !== restricted.withheld),
    };
  if (person.id === collaborator.user.id && collaborator.repository)
    return {
      membership: null,
      repositories: [{ repository: collaborator.repository, role: 'write' }],
    };
  return null;
}

const installationRepositories = /^\/user\/installations\/(\d+)\/repositories$/;
const membershipPath = /^\/user\/memberships\/orgs\/([^/]+)$/;

/** A `ghu_` token's request, answered as GitHub would for that person. */
export function serveUser(
  url: URL,
  method: string,
  person: SimUser,
  context: UserContext,
): RestReply & { route: string } {
  const route = `${method} ${url.pathname
    .replace(installationRepositories, '/user/installations/{installation_id}/repositories')
    .replace(membershipPath, '/user/memberships/orgs/{org}')}`;
  const [first] = context.installations;
  const reachable = context.installations.flatMap((installation) => {
    const access = first ? accessOf(person, installation, first.dataset) : null;
    return access ? [{ installation, access }] : [];
  });
  if (method !== 'GET') return { ...notFound, route };

  const teams = teamRouteFor(url.pathname);
  if (teams) {
    const teamRoute = `${method} ${teams.name}`;
    // "These endpoints are only available to authenticated members of the team's organization."
    const found = reachable.find(
      ({ installation, access }) =>
        access.membership &&
        installation.dataset.organisation.login.toLowerCase() === teams.params[0]?.toLowerCase(),
    );
    if (!found) return { ...notFound, route: teamRoute };
    const { dataset, permissions, installationId } = found.installation;
    const owner = found.access.membership === 'admin';
    const reply = teams.handle(
      { url, params: teams.params, installationId },
      {
        dataset,
        permissions,
        at: context.at,
        baseUrl: context.baseUrl,
        sees: (team) =>
          owner ||
          team.privacy === 'VISIBLE' ||
          dataset.teams
            .members(team, context.at, 'IMMEDIATE')
            .some(({ user }) => user.id === person.id),
      },
    );
    return { ...reply, route: teamRoute };
  }

  if (url.pathname === '/user') return { route, status: 200, body: restPublicUser(person) };

  if (url.pathname === '/user/installations') {
    const page = paginate(url, context.baseUrl, reachable.length, (offset, limit) =>
      reachable
        .slice(offset, offset + limit)
        .map(({ installation }) =>
          restInstallation(
            installation.installationId,
            installation.dataset.organisation,
            context.appId,
            installation.permissions,
          ),
        ),
    );
    return {
      route,
      status: 200,
      body: { total_count: reachable.length, installations: page.items },
      headers: page.headers,
    };
  }

  const repositories = installationRepositories.exec(url.pathname);
  if (repositories) {
    const found = reachable.find(
      ({ installation }) => String(installation.installationId) === repositories[1],
    );
    if (!found) return { ...notFound, route };
    const listed = found.access.repositories.filter(({ repository }) =>
      context.visible(repository),
    );
    const page = paginate(url, context.baseUrl, listed.length, (offset, limit) =>
      listed.slice(offset, offset + limit).map(({ repository, role }) => ({
        ...restRepository(repository),
        permissions: repositoryPermissions[role],
      })),
    );
    return {
      route,
      status: 200,
      body: {
        total_count: listed.length,
        repository_selection: 'selected',
        repositories: page.items,
      },
      headers: page.headers,
    };
  }

  const membership = membershipPath.exec(url.pathname);
  if (membership) {
    // GitHub's "Permissions required for GitHub Apps": this endpoint needs the
    // organisation permission "Members" (read), for user access tokens only.
    const installed = context.installations.find(
      (installation) =>
        installation.dataset.organisation.login.toLowerCase() === membership[1]?.toLowerCase(),
    );
    if (installed && !mayRead(installed.permissions, 'members'))
      return {
        ...notAccessible(
          'https://docs.github.com/rest/orgs/members#get-an-organization-membership-for-the-authenticated-user',
          'members=read',
        ),
        route,
      };
    const found = reachable.find(
      ({ installation }) =>
        installation.dataset.organisation.login.toLowerCase() === membership[1]?.toLowerCase(),
    );
    // "If the authenticated user is not affiliated with the organization, a `404` is returned."
    if (!found?.access.membership) return { ...notFound, route };
    const organisation = found.installation.dataset.organisation;
    return {
      route,
      status: 200,
      body: {
        url: `${api}/orgs/${organisation.login}/memberships/${person.login}`,
        state: 'active',
        role: found.access.membership,
        organization_url: `${api}/orgs/${organisation.login}`,
        organization: restOrganization(organisation),
        user: restUser(person),
      },
    };
  }
  return { ...notFound, route };
}
