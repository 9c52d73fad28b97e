import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GitHubUser } from '../github/webhook-payloads.ts';
import { keys } from './keys.ts';
import type { TableRef } from './table.ts';

export interface MemberRecord {
  installationId: number;
  userId: number;
  login: string;
  /** GitHub's account type: `User`, `Bot`, ... (bots are excluded from team metrics). */
  type: string;
  firstSeenAt: string;
}

/** Creates the member on first sight; later sightings refresh the login (users rename). */
export async function recordMember(
  { db, tableName }: TableRef,
  installationId: number,
  user: GitHubUser,
  now: Date,
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.member(installationId, user.id),
      UpdateExpression: `SET installationId = :inst, userId = :id, login = :login, #type = :type,
        firstSeenAt = if_not_exists(firstSeenAt, :now)`,
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':inst': installationId,
        ':id': user.id,
        ':login': user.login,
        ':type': user.type,
        ':now': now.toISOString(),
      },
    }),
  );
}

/** Records each distinct person once (an author who also reviewed is one member). */
export async function recordMembers(
  ref: TableRef,
  installationId: number,
  users: readonly GitHubUser[],
  now: Date,
): Promise<void> {
  const unique = [...new Map(users.map((user) => [user.id, user])).values()];
  await Promise.all(unique.map((user) => recordMember(ref, installationId, user, now)));
}
