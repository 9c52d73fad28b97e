import type { TeamReading } from '../github/organisation-teams.ts';
import type { TeamRecord } from '../metrics/team-attribution.ts';
import { assumedSince, type StoredSpell, type StoredTeam, type TeamRole } from '../store/teams.ts';

/**
 * What a reading of GitHub's teams changes in what is stored. GitHub shows
 * membership as it is now, never when it changed, so the reading's own time
 * stands in for a webhook that was missed: a member with no open spell gets
 * one from then (a missed `added`), an open spell whose person is no longer
 * in the team ends then (a missed `removed`), and a team GitHub no longer
 * lists is deleted then, its open spells ended. Spells already recorded keep
 * their dates: a reading never rewrites the past. The first reading
 * (`initial`) finds people with no history to go by; it opens their spells
 * from `assumedSince`, so the work before it counts for the teams they were
 * in then — except where a webhook already said something of a person in a
 * team, which is known and not assumed.
 */
export interface ReadingChanges {
  /** Teams new, or whose name, slug, privacy or parent changed. */
  recorded: TeamRecord[];
  /** Stored teams GitHub no longer lists. */
  deleted: number[];
  opened: { teamId: number; userId: number; login: string; role: TeamRole; joinedAt: string }[];
  closed: { teamId: number; userId: number; openSince: string; role: TeamRole }[];
  /** Open spells whose person's login or role changed. */
  refreshed: { teamId: number; userId: number; login: string; role: TeamRole; openSince: string }[];
}

export function compareReading(
  stored: { teams: readonly Omit<StoredTeam, 'settings'>[]; spells: readonly StoredSpell[] },
  reading: readonly TeamReading[],
  { at, initial }: { at: string; initial: boolean },
): ReadingChanges {
  const storedTeams = new Map(stored.teams.map((team) => [team.teamId, team]));
  const listed = new Map(reading.map((team) => [team.teamId, team]));
  const known = new Set(stored.spells.map(membershipKey));
  const open = new Map(
    stored.spells
      .filter((spell) => spell.leftAt === null)
      .map((spell) => [membershipKey(spell), spell]),
  );
  const changes: ReadingChanges = {
    recorded: [],
    deleted: [],
    opened: [],
    closed: [],
    refreshed: [],
  };
  for (const { members, ...team } of reading) {
    const before = storedTeams.get(team.teamId);
    // A deleted team stays deleted: GitHub never gives its id to another.
    if (before?.deletedAt) continue;
    if (!before || !sameFacts(before, team)) changes.recorded.push(team);
    for (const member of members) {
      const key = membershipKey({ teamId: team.teamId, userId: member.userId });
      const spell = open.get(key);
      if (!spell)
        changes.opened.push({
          teamId: team.teamId,
          ...member,
          joinedAt: initial && !known.has(key) ? assumedSince : at,
        });
      else if (spell.login !== member.login || spell.role !== member.role)
        changes.refreshed.push({ teamId: team.teamId, ...member, openSince: spell.joinedAt });
    }
  }
  for (const team of stored.teams) {
    if (!team.deletedAt && !listed.has(team.teamId)) changes.deleted.push(team.teamId);
  }
  for (const spell of open.values()) {
    const stillIn = listed
      .get(spell.teamId)
      ?.members.some((member) => member.userId === spell.userId);
    if (!stillIn)
      changes.closed.push({
        teamId: spell.teamId,
        userId: spell.userId,
        openSince: spell.joinedAt,
        role: spell.role,
      });
  }
  return changes;
}

const membershipKey = ({ teamId, userId }: { teamId: number; userId: number }) =>
  `${teamId}:${userId}`;

function sameFacts(stored: TeamRecord, read: TeamRecord): boolean {
  return (
    stored.slug === read.slug &&
    stored.name === read.name &&
    stored.privacy === read.privacy &&
    stored.parentTeamId === read.parentTeamId
  );
}
