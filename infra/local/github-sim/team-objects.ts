import type { SimUser } from './dataset.ts';
import { api, nodeId, restUser, web } from './rest-objects.ts';
import type { SimTeam, TeamMember, TeamPrivacy, TeamRole } from './teams.ts';

/**
 * Teams in REST's and webhooks' shapes (@octokit/openapi: `team`,
 * `team-simple`, `team-member`, `team-membership`, `webhooks_team`). REST
 * spells GraphQL's VISIBLE "closed"; its team URLs go by the organisation's
 * and the team's ids.
 */
export function restPrivacy(privacy: TeamPrivacy): 'closed' | 'secret' {
  return privacy === 'SECRET' ? 'secret' : 'closed';
}

/** REST's lower-case team role. */
export function restRole(role: TeamRole): 'member' | 'maintainer' {
  return role === 'MAINTAINER' ? 'maintainer' : 'member';
}

function teamUrl(organisation: SimUser, team: SimTeam): string {
  return `${api}/organizations/${organisation.id}/team/${team.id}`;
}

export function restTeamSimple(organisation: SimUser, team: SimTeam) {
  const url = teamUrl(organisation, team);
  return {
    id: team.id,
    node_id: nodeId('Team', team.id),
    url,
    html_url: `${web}/orgs/${organisation.login}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: team.description,
    privacy: restPrivacy(team.privacy),
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    type: 'organization',
    organization_id: organisation.id,
  };
}

/** `GET /orgs/{org}/teams`' item, and the `team` of every team webhook. */
export function restTeam(organisation: SimUser, team: SimTeam) {
  return {
    ...restTeamSimple(organisation, team),
    parent: team.parent ? restTeamSimple(organisation, team.parent) : null,
  };
}

/** A member as `GET /orgs/{org}/teams/{team_slug}/members` lists them: their role, and whether only through a child team. */
export function restTeamMember(member: TeamMember) {
  return {
    ...restUser(member.user),
    role: restRole(member.role),
    inherited: member.inherited,
  };
}

export function restTeamMembership(
  organisation: SimUser,
  team: SimTeam,
  user: SimUser,
  role: TeamRole,
) {
  return {
    url: `${teamUrl(organisation, team)}/memberships/${user.login}`,
    role: restRole(role),
    state: 'active',
  };
}
