import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WorkingAgreements } from '../metrics/agreements.ts';
import type { MembershipSpell, TeamRecord } from '../metrics/team-attribution.ts';
import { table } from '../resources.ts';
import { storedAgreements } from './agreements.ts';
import { keys } from './keys.ts';
import type { Recipient } from './recipient.ts';
import {
  assignments,
  conditionalWrite,
  isConditionFailure,
  notNewerThan,
  queryAll,
  type TableRef,
} from './table.ts';
import type { CountTime, StoredCalendar } from './working-calendars.ts';

/**
 * An organisation's GitHub teams and who was in each when, under the
 * installation's partition: a team item (`TEAM#<id>`) and one item per
 * person who was ever in it (`TEAMMEMBER#<id>#<userId>`) holding their
 * spells. What orders the writes is `changedAt`, the instant a
 * fact became known — a webhook's receipt, a reading's start — so a reading
 * that began before a webhook cannot undo it.
 */
export type TeamRole = 'member' | 'maintainer';

/** A team as stored: GitHub's facts, when it was deleted (kept, with its spells, for the past), and its own settings. */
export interface StoredTeam extends TeamRecord {
  deletedAt: string | null;
  settings: TeamSettings;
  /** Its own working agreements (`agreements.ts`), where it set any: kept apart from the versioned settings. */
  agreements?: WorkingAgreements;
}

/** What a team sets for itself (`team-settings.ts`), kept on its item beside GitHub's facts. */
export interface TeamSettings {
  /** Who gets the team's weekly digest; none means no team digest. */
  recipients: Recipient[];
  /** The IANA zone the team's weeks are cut in and its digest sent by; unset: the organisation's. */
  timeZone?: string;
  /** Bumped by every change of the team's settings, which is conditional on it. */
  settingsVersion: number;
  /** Its own working calendar; unset: the organisation's (`working-calendars.ts`). */
  workingCalendar?: StoredCalendar;
  /** Which clock its durations are shown in; unset: the organisation's choice. */
  countTime?: CountTime;
}

/** A spell as stored: with the person's role in it (an open spell's as last known). */
export interface StoredSpell extends MembershipSpell {
  role: TeamRole;
}

/** A membership item: the open spell's start while the person is in the team, and the closed ones. */
export interface MemberItem {
  teamId: number;
  userId: number;
  login: string;
  role: TeamRole;
  openSince?: string;
  past: { joinedAt: string; leftAt: string; role: TeamRole }[];
  changedAt: string;
}

interface TeamItem extends TeamRecord {
  deletedAt?: string;
  changedAt: string;
  recipients?: Recipient[];
  timeZone?: string;
  settingsVersion?: number;
  workingCalendar?: StoredCalendar;
  countTime?: CountTime;
  agreements?: unknown;
}

/** Whether an installation's teams can be read, as last found: the dashboard says why there are none. */
export type TeamsAccess =
  /** Read: the organisation granted the "Members" permission. */
  | 'granted'
  /** The organisation's owners have not approved the "Members" permission (GitHub: FORBIDDEN). */
  | 'not-granted'
  /** Installed on a user account, which has no teams; GitHub is not asked. */
  | 'user-account';

export interface TeamsAccessRecord {
  access: TeamsAccess;
  /** When GitHub was last asked (for a user account, when that was found). */
  readAt: string;
  /**
   * The first reading that found the teams. GitHub keeps no membership
   * history, so spells it opened start at `assumedSince`: before it, each
   * person counts in the teams they were in then.
   */
  knownSince?: string;
  /** GitHub's words when it refused. */
  detail?: string;
}

/** Where a spell found by the first reading starts: the membership then is the best known for all before. */
export const assumedSince = new Date(0).toISOString();

/**
 * Whose spells a read of the teams brings: every member's (a rollup, a
 * reading, the installation's page), none (the settings pages, which name
 * the teams), or those of one team and the teams under it — all that team's
 * own page needs to attribute its work, without the organisation's other
 * memberships (140 of 2,100 items for a team with one child in an
 * organisation of 100 teams of 20).
 */
export type SpellsRead = 'every team' | 'no team' | { teamAndItsChildren: number };

/**
 * The installation's teams (deleted ones too), in one Query, and the spells
 * `spellsRead` asks for: one more Query of every membership, or one per team
 * of the subtree. Never a team at a time for a whole organisation.
 */
export async function readTeams(
  ref: TableRef,
  installationId: number,
  spellsRead: SpellsRead = 'every team',
): Promise<{ teams: StoredTeam[]; spells: StoredSpell[] }> {
  const where = keys.teamsOf(installationId);
  const query = <Item>(prefix: string) =>
    queryAll<Item>(ref, {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
      ExpressionAttributeValues: { ':pk': where.partition, ':prefix': prefix },
    });
  const [teamItems, everyMembership] = await Promise.all([
    query<TeamItem>(where.teams),
    spellsRead === 'every team' ? query<MemberItem>(where.memberships) : [],
  ]);
  const teams = teamItems.map(storedTeam);
  if (typeof spellsRead !== 'object') return { teams, spells: everyMembership.flatMap(spellsOf) };
  // A Query per team of the subtree, at once: for a root team with scores under it as many
  // queries of a few items each, in DynamoDB's read units about the one of every membership.
  const memberships = await Promise.all(
    withChildren(teams, spellsRead.teamAndItsChildren).map((teamId) =>
      query<MemberItem>(keys.membersOf(installationId, teamId).sortPrefix),
    ),
  );
  return { teams, spells: memberships.flat().flatMap(spellsOf) };
}

/** A team and every team under it, at any depth; a parent that loops back (GitHub forbids it) ends the walk. */
function withChildren(teams: readonly StoredTeam[], teamId: number): number[] {
  const found = [teamId];
  for (let i = 0; i < found.length; i++) {
    for (const team of teams)
      if (team.parentTeamId === found[i] && !found.includes(team.teamId)) found.push(team.teamId);
  }
  return found;
}

function storedTeam(item: TeamItem): StoredTeam {
  return {
    teamId: item.teamId,
    slug: item.slug,
    name: item.name,
    privacy: item.privacy,
    parentTeamId: item.parentTeamId ?? null,
    deletedAt: item.deletedAt ?? null,
    settings: {
      recipients: item.recipients ?? [],
      ...(item.timeZone ? { timeZone: item.timeZone } : {}),
      settingsVersion: item.settingsVersion ?? 0,
      ...(item.workingCalendar ? { workingCalendar: item.workingCalendar } : {}),
      ...(item.countTime ? { countTime: item.countTime } : {}),
    },
    ...(item.agreements ? { agreements: storedAgreements(item) } : {}),
  };
}

function spellsOf(item: MemberItem): StoredSpell[] {
  const person = { teamId: item.teamId, userId: item.userId, login: item.login };
  return [
    ...item.past.map((spell) => ({ ...person, ...spell })),
    ...(item.openSince
      ? [{ ...person, joinedAt: item.openSince, leftAt: null, role: item.role }]
      : []),
  ];
}

/** A team's facts as an event or a reading gives them; an undefined parent is one the event did not say. */
export type TeamFacts = Omit<TeamRecord, 'parentTeamId'> & { parentTeamId?: number | null };

/**
 * Records a team's facts as known at `at`; returns them as stored before
 * (undefined for a new team), or `refused`: the team was deleted (final:
 * GitHub never reuses an id), or a newer fact is stored.
 */
export async function recordTeam(
  ref: TableRef,
  installationId: number,
  team: TeamFacts,
  at: string,
): Promise<{ before: StoredTeam | undefined } | 'refused'> {
  const { clauses, names, values } = assignments({ ...team, changedAt: at });
  try {
    const { Attributes } = await ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.team(installationId, team.teamId),
        UpdateExpression: `SET ${clauses.join(', ')}`,
        ConditionExpression: `attribute_not_exists(deletedAt) AND ${notNewerThan('changedAt', ':at')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':at': at },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return { before: Attributes ? storedTeam(Attributes as TeamItem) : undefined };
  } catch (error) {
    if (isConditionFailure(error)) return 'refused';
    throw error;
  }
}

/**
 * Marks a stored team deleted at `at`; false when it is unknown or already
 * deleted. `ordered`: only if no newer fact is stored (a reading's, which
 * must not delete a team created after it began); a webhook's deletion is
 * final whenever it comes.
 */
export async function markTeamDeleted(
  ref: TableRef,
  installationId: number,
  teamId: number,
  at: string,
  ordered: boolean,
): Promise<boolean> {
  return conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.team(installationId, teamId),
        UpdateExpression: 'SET deletedAt = :at, changedAt = :at',
        ConditionExpression: [
          'attribute_exists(teamId) AND attribute_not_exists(deletedAt)',
          ...(ordered ? [notNewerThan('changedAt', ':at')] : []),
        ].join(' AND '),
        ExpressionAttributeValues: { ':at': at },
      }),
    ),
  );
}

/** Records on the installation item whether its teams can be read. */
export async function recordTeamsAccess(
  ref: TableRef,
  installationId: number,
  record: TeamsAccessRecord,
): Promise<void> {
  await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: keys.installation(installationId),
      UpdateExpression: 'SET teams = :teams',
      ConditionExpression: 'attribute_exists(installationId)',
      ExpressionAttributeValues: { ':teams': record },
    }),
  );
}

/** One stored team (deleted ones too), read by its key: what the notifier needs of a team's digest. */
export async function readTeam(
  ref: TableRef,
  installationId: number,
  teamId: number,
): Promise<StoredTeam | undefined> {
  const { Item } = await ref.db.send(
    new GetCommand({ TableName: ref.tableName, Key: keys.team(installationId, teamId) }),
  );
  return Item ? storedTeam(Item as TeamItem) : undefined;
}
