import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import { conditionalWrite, notNewerThan, type TableRef } from './table.ts';
import type { MemberItem, TeamRole } from './teams.ts';

/**
 * The writes of a person's spells in a team (`teams.ts` reads them). Each is
 * conditional on what it changes, so it is idempotent: a spell is opened only
 * while none is open, closed only while the one it saw is, and neither
 * happens when a newer fact (`changedAt`) is stored.
 */
export interface Membership {
  teamId: number;
  userId: number;
  login: string;
}

/** The stored membership item of a person in a team, if they were ever in it. */
export async function getMembership(
  ref: TableRef,
  installationId: number,
  teamId: number,
  userId: number,
): Promise<MemberItem | undefined> {
  const { Item } = await ref.db.send(
    new GetCommand({
      TableName: ref.tableName,
      Key: keys.teamMember(installationId, teamId, userId),
    }),
  );
  return Item as MemberItem | undefined;
}

/**
 * Opens a spell from `joinedAt`, learnt at `at` (they differ only for the
 * first reading, which back-dates); false when one is open already or a
 * newer fact is stored.
 */
export async function openSpell(
  ref: TableRef,
  installationId: number,
  membership: Membership & { role: TeamRole },
  spell: { joinedAt: string; at: string },
): Promise<boolean> {
  return conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.teamMember(installationId, membership.teamId, membership.userId),
        UpdateExpression: `SET teamId = :teamId, userId = :userId, login = :login, #role = :role,
          openSince = :joinedAt, changedAt = :at, past = if_not_exists(past, :none)`,
        ConditionExpression: `attribute_not_exists(openSince) AND ${notNewerThan('changedAt', ':at')}`,
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: {
          ':teamId': membership.teamId,
          ':userId': membership.userId,
          ':login': membership.login,
          ':role': membership.role,
          ':joinedAt': spell.joinedAt,
          ':at': spell.at,
          ':none': [],
        },
      }),
    ),
  );
}

/**
 * Closes the open spell that began `openSince` at `at`, keeping it with the
 * role the person had; false when that spell is not open (closed already, or
 * another began) or a newer fact is stored.
 */
export async function closeSpell(
  ref: TableRef,
  installationId: number,
  spell: { teamId: number; userId: number; openSince: string; role: TeamRole },
  at: string,
): Promise<boolean> {
  return conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.teamMember(installationId, spell.teamId, spell.userId),
        UpdateExpression: 'SET past = list_append(past, :spell), changedAt = :at REMOVE openSince',
        ConditionExpression: `openSince = :openSince AND ${notNewerThan('changedAt', ':at')}`,
        ExpressionAttributeValues: {
          ':spell': [{ joinedAt: spell.openSince, leftAt: at, role: spell.role }],
          ':openSince': spell.openSince,
          ':at': at,
        },
      }),
    ),
  );
}

/**
 * Refreshes an open spell's login and role as GitHub now gives them (a
 * rename, a new maintainer: events that carry no membership change); false
 * when that spell is no longer open.
 */
export async function refreshMembership(
  ref: TableRef,
  installationId: number,
  membership: Membership & { role: TeamRole; openSince: string },
): Promise<boolean> {
  return conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.teamMember(installationId, membership.teamId, membership.userId),
        UpdateExpression: 'SET login = :login, #role = :role',
        ConditionExpression: 'openSince = :openSince',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: {
          ':login': membership.login,
          ':role': membership.role,
          ':openSince': membership.openSince,
        },
      }),
    ),
  );
}
