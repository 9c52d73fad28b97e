import type { TeamRecord } from '../metrics/team-attribution.ts';
import type { Graphql } from './app-client.ts';
import { RateLimitedError, type RateLimitInfo, rateLimitIn } from './rate-limited.ts';

/**
 * An organisation's GitHub teams as GitHub shows them now: each team's
 * facts and its own members with their role. Members are asked for as
 * IMMEDIATE, not GitHub's default ALL, which would list a child team's
 * members in its parent too: attribution adds the parents itself
 * (`team-attribution.ts`), and a spell must say where a person really is.
 */
export interface TeamMemberReading {
  userId: number;
  login: string;
  role: 'member' | 'maintainer';
}

export interface TeamReading extends TeamRecord {
  members: TeamMemberReading[];
}

/** The organisation has not granted the App the "Members" permission: asking again tomorrow may help, retrying now will not. */
export class TeamsNotGrantedError extends Error {}

/**
 * What one request costs, claimed before it from the installation's budget:
 * 100 teams with 100 members each are 1 + 100 connection requests, and
 * GitHub charges their hundredth, rounded, at least 1 (a follow-up page of
 * one team's members is 1 too).
 */
export const teamsRequestCost = 1;

const members = /* GraphQL */ `
  members(first: 100, after: $membersAfter, membership: IMMEDIATE) {
    pageInfo { hasNextPage endCursor }
    edges { role node { databaseId login } }
  }`;

const teamsQuery = /* GraphQL */ `
  query OrganisationTeams($login: String!, $after: String, $membersAfter: String) {
    organization(login: $login) {
      teams(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { databaseId slug name privacy parentTeam { databaseId } ${members} }
      }
    }
    rateLimit { cost remaining resetAt }
  }`;

const membersQuery = /* GraphQL */ `
  query TeamMembers($login: String!, $slug: String!, $membersAfter: String) {
    organization(login: $login) {
      team(slug: $slug) { databaseId ${members} }
    }
    rateLimit { cost remaining resetAt }
  }`;

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

interface MemberConnection {
  pageInfo: PageInfo;
  edges: { role: 'MEMBER' | 'MAINTAINER'; node: { databaseId: number; login: string } }[];
}

interface TeamNode {
  databaseId: number;
  slug: string;
  name: string;
  privacy: 'VISIBLE' | 'SECRET';
  parentTeam: { databaseId: number } | null;
  members: MemberConnection;
}

/** Every answer carries the budget's reading, for the installation's shared budget. */
export interface TeamsAnswer {
  rateLimit: RateLimitInfo;
}

interface TeamsPage extends TeamsAnswer {
  organization: { teams: { pageInfo: PageInfo; nodes: TeamNode[] } };
}

interface MembersPage extends TeamsAnswer {
  organization: { team: { databaseId: number; members: MemberConnection } | null };
}

/**
 * Reads every team of `organisation` with its members, 100 teams a request
 * and one more request for each further 100 members of a team. Throws
 * `TeamsNotGrantedError` without the permission, `RateLimitedError` on a
 * limit; a team renamed or deleted while its members were paged fails the
 * reading, which is tried again (a part of it would close spells wrongly).
 */
export async function readOrganisationTeams(
  graphql: Graphql,
  organisation: string,
): Promise<TeamReading[]> {
  const teams: TeamReading[] = [];
  let after: string | null = null;
  do {
    const page: TeamsPage = await ask(graphql, teamsQuery, { login: organisation, after });
    for (const node of page.organization.teams.nodes)
      teams.push(await withAllMembers(graphql, organisation, node));
    after = page.organization.teams.pageInfo.hasNextPage
      ? page.organization.teams.pageInfo.endCursor
      : null;
  } while (after);
  return teams;
}

async function withAllMembers(
  graphql: Graphql,
  organisation: string,
  node: TeamNode,
): Promise<TeamReading> {
  const edges = [...node.members.edges];
  for (let more = node.members.pageInfo; more.hasNextPage; ) {
    const page: MembersPage = await ask(graphql, membersQuery, {
      login: organisation,
      slug: node.slug,
      membersAfter: more.endCursor,
    });
    const team = page.organization.team;
    if (team?.databaseId !== node.databaseId)
      throw new Error(`[flowmeter] team ${node.slug} changed while its members were read`);
    edges.push(...team.members.edges);
    more = team.members.pageInfo;
  }
  return {
    teamId: node.databaseId,
    slug: node.slug,
    name: node.name,
    privacy: node.privacy === 'SECRET' ? 'secret' : 'visible',
    parentTeamId: node.parentTeam?.databaseId ?? null,
    members: edges.map(({ role, node: person }) => ({
      userId: person.databaseId,
      login: person.login,
      role: role === 'MAINTAINER' ? 'maintainer' : 'member',
    })),
  };
}

interface GraphqlFailure {
  message?: string;
  errors?: { type?: string; path?: (string | number)[]; message?: string }[];
  headers?: Record<string, string | undefined>;
  response?: { headers?: Record<string, string | undefined> };
}

async function ask<T>(graphql: Graphql, query: string, variables: Record<string, unknown>) {
  try {
    return await graphql<T>(query, variables);
  } catch (error) {
    throw refusal(error);
  }
}

/**
 * A limit waits; a FORBIDDEN on the organisation's teams is the missing
 * permission (GitHub nulls the whole `organization`, as `teams` is non-null).
 */
function refusal(error: unknown): unknown {
  if (error instanceof RateLimitedError) return error;
  const failure = error as GraphqlFailure;
  const errors = failure.errors ?? [];
  const limited = rateLimitIn(
    {
      message: failure.message ?? '',
      headers: failure.response?.headers ?? failure.headers ?? {},
      graphqlTypes: errors.map((e) => e.type),
    },
    error,
  );
  if (limited) return limited;
  const forbidden = errors.find((e) => e.type === 'FORBIDDEN' && e.path?.[0] === 'organization');
  if (forbidden)
    return new TeamsNotGrantedError(forbidden.message ?? 'Resource not accessible by integration', {
      cause: error,
    });
  return error;
}
