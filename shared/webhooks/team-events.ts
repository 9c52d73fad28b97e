import {
  type GitHubTeam,
  membershipEventSchema,
  organizationMemberEventSchema,
  teamEventSchema,
} from '../github/webhook-payloads.ts';
import type { TableRef } from '../store/table.ts';
import { closeSpell, getMembership, openSpell } from '../store/team-members.ts';
import { markTeamDeleted, readTeams, recordTeam, type TeamFacts } from '../store/teams.ts';
import type { EventContext } from './event-context.ts';
import { parsePayload } from './parse-payload.ts';

/**
 * GitHub's team events, applied as of the delivery's receipt: no `team`,
 * `membership` or `organization` payload says when the change was made (nor
 * carries an `updated_at` to order them by), so receipt is the nearest time
 * there is — seconds after the change, or later when GitHub retried. Each
 * write is conditional (`team-members.ts`), so a delivery repeated under a
 * new id changes nothing; a redelivery under its own is a duplicate before
 * it gets here. What a lost delivery would have said, the daily reading
 * finds (`compare-reading.ts`).
 */

/** Until its installation is recorded, a team event has nowhere to go; that installation's first reading reads its teams. */
const notRecorded = (installationId: number) =>
  `installation ${installationId} is not recorded: its teams are read once it is`;

/** A team's facts from an event's copy; none from a deleted team's, which carries only its id and name. */
function teamFacts(team: GitHubTeam): TeamFacts | undefined {
  if (team.deleted || !team.slug || !team.privacy) return undefined;
  return {
    teamId: team.id,
    slug: team.slug,
    name: team.name,
    privacy: team.privacy === 'secret' ? 'secret' : 'visible',
    // No `parent` at all says nothing of it: the stored one stays.
    parentTeamId: team.parent === undefined ? undefined : (team.parent?.id ?? null),
  };
}

const receipt = (context: EventContext) => context.now.toISOString();

/**
 * team.created / edited: records the team as the event shows it. An edit's
 * `changes` names old names, descriptions and privacies but never a parent,
 * so the stored team, not `changes`, says what changed.
 */
export async function teamChanged(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(teamEventSchema, payload, 'team');
  if (!context.installation) return notRecorded(event.installation.id);
  const facts = teamFacts(event.team);
  if (!facts) return `team ${event.team.id}: the event names no slug or privacy, nothing recorded`;
  const recorded = await recordTeam(context.table, event.installation.id, facts, receipt(context));
  if (recorded === 'refused')
    return `team ${facts.slug} (${facts.teamId}) left as stored: it was deleted, or a newer change is`;
  if (!recorded.before) return `team ${facts.slug} (${facts.teamId}) recorded`;
  const before = recorded.before;
  const changed = (['slug', 'name', 'privacy', 'parentTeamId'] as const)
    .filter((field) => facts[field] !== undefined && facts[field] !== before[field])
    .map((field) => `${field} ${String(before[field])} → ${String(facts[field])}`);
  return `team ${facts.slug} (${facts.teamId}) ${changed.length > 0 ? changed.join(', ') : 'unchanged'}`;
}

/**
 * team.deleted: the team is kept, marked deleted, for the work its members
 * did in it, and their spells end. GitHub deletes child teams with it, one
 * event each, and sends no `membership` removed for any of their members.
 */
export async function teamDeleted(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(teamEventSchema, payload, 'team');
  if (!context.installation) return notRecorded(event.installation.id);
  const installationId = event.installation.id;
  const marked = await markTeamDeleted(
    context.table,
    installationId,
    event.team.id,
    receipt(context),
    false,
  );
  const closed = await closeOpenSpells(
    context.table,
    installationId,
    (spell) => spell.teamId === event.team.id,
    receipt(context),
  );
  return `team ${event.team.id} ${marked ? 'marked deleted' : 'unknown or deleted already'}, ${closed} spells ended`;
}

/**
 * membership.added: a spell opens, unless one is open. The payload carries
 * no role: `member`, GitHub's default, until the next reading says
 * otherwise. Its team is recorded too, in case its `team.created` was lost.
 */
export async function membershipAdded(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(membershipEventSchema, payload, 'membership');
  if (!context.installation) return notRecorded(event.installation.id);
  if (!event.member) return 'membership of an account since deleted: nothing to record';
  const installationId = event.installation.id;
  const at = receipt(context);
  const facts = teamFacts(event.team);
  if (facts) await recordTeam(context.table, installationId, facts, at);
  const opened = await openSpell(
    context.table,
    installationId,
    { teamId: event.team.id, userId: event.member.id, login: event.member.login, role: 'member' },
    { joinedAt: at, at },
  );
  return `${event.member.login} in team ${event.team.id}: ${opened ? 'spell opened' : 'a member already'}`;
}

/** membership.removed: the open spell ends, if there is one. */
export async function membershipRemoved(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(membershipEventSchema, payload, 'membership');
  if (!context.installation) return notRecorded(event.installation.id);
  if (!event.member) return 'membership of an account since deleted: nothing to record';
  const installationId = event.installation.id;
  const stored = await getMembership(context.table, installationId, event.team.id, event.member.id);
  const closed =
    stored?.openSince !== undefined &&
    (await closeSpell(
      context.table,
      installationId,
      {
        teamId: event.team.id,
        userId: event.member.id,
        openSince: stored.openSince,
        role: stored.role,
      },
      receipt(context),
    ));
  return `${event.member.login} out of team ${event.team.id}: ${closed ? 'spell ended' : 'no spell open'}`;
}

/** organization.member_removed: who leaves the organisation leaves every team, with no `membership` event. */
export async function organizationMemberRemoved(
  payload: unknown,
  context: EventContext,
): Promise<string> {
  const event = parsePayload(organizationMemberEventSchema, payload, 'organization');
  if (!context.installation) return notRecorded(event.installation.id);
  const person = event.membership.user;
  if (!person) return 'an account since deleted left: nothing to record';
  const closed = await closeOpenSpells(
    context.table,
    event.installation.id,
    (spell) => spell.userId === person.id,
    receipt(context),
  );
  return `${person.login} left the organisation: ${closed} spells ended`;
}

/** Ends every open spell `which` picks, at `at`; returns how many it ended. */
async function closeOpenSpells(
  table: TableRef,
  installationId: number,
  which: (spell: { teamId: number; userId: number }) => boolean,
  at: string,
): Promise<number> {
  const { spells } = await readTeams(table, installationId);
  let closed = 0;
  for (const spell of spells.filter((s) => s.leftAt === null && which(s))) {
    const ended = await closeSpell(
      table,
      installationId,
      { teamId: spell.teamId, userId: spell.userId, openSince: spell.joinedAt, role: spell.role },
      at,
    );
    if (ended) closed++;
  }
  return closed;
}
