import { randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import { conditionalWrite, type TableRef } from './table.ts';

/**
 * A person signed in to the dashboard. Their GitHub tokens are kept here,
 * server-side, sealed (encrypted and authenticated) by the dashboard with
 * its key, so neither the table nor its backups hold them in plain text;
 * the browser's cookie holds only the session id, sealed too. DynamoDB's
 * TTL removes a session after `expiresAt` (epoch seconds); until it does, a
 * read treats it as gone.
 */
export interface Session {
  sessionId: string;
  userId: number;
  login: string;
  /** The person's GitHub user token and refresh token, sealed by the dashboard. */
  sealedTokens: string;
  /** Sent with every form and checked on every change. */
  csrfToken: string;
  expiresAt: number;
  /** GitHub's list of the person's installations, and when it was read. */
  visible?: {
    installations: { id: number; accountId: number; accountLogin: string; accountType: string }[];
    checkedAt: string;
  };
  /** Per installation id: what GitHub lets the person see of it, and when that was read. */
  access: Record<string, RememberedAccess>;
}

/** What GitHub lets a person see of one installation. */
export interface RememberedAccess {
  repositoryIds: number[];
  /**
   * The person's role in the installation's organisation; null for a user
   * account or a non-member; `not-granted` while the App may not ask.
   */
  role: 'admin' | 'member' | 'not-granted' | null;
  checkedAt: string;
}

/**
 * A week: with GitHub's user tokens refreshed as they expire, a session
 * outlives the 8-hour token, and what the person may see is still asked of
 * GitHub every minute.
 */
export const sessionSeconds = 7 * 86_400;

export async function createSession(
  ref: TableRef,
  person: { userId: number; login: string; sealedTokens: string; expiresAt: number },
): Promise<Session> {
  const session: Session = {
    sessionId: randomBytes(24).toString('base64url'),
    userId: person.userId,
    login: person.login,
    sealedTokens: person.sealedTokens,
    csrfToken: randomBytes(24).toString('base64url'),
    expiresAt: person.expiresAt,
    access: {},
  };
  await ref.db.send(
    new PutCommand({
      TableName: ref.tableName,
      Item: { ...keys.session(session.sessionId), ...session },
      ConditionExpression: 'attribute_not_exists(sessionId)',
    }),
  );
  return session;
}

export async function getSession(
  ref: TableRef,
  sessionId: string,
  now: Date,
): Promise<Session | null> {
  const { Item } = await ref.db.send(
    new GetCommand({ TableName: ref.tableName, Key: keys.session(sessionId) }),
  );
  const session = Item as Session | undefined;
  return session && session.expiresAt > now.getTime() / 1000 ? session : null;
}

export async function rememberVisibleInstallations(
  ref: TableRef,
  sessionId: string,
  visible: NonNullable<Session['visible']>,
): Promise<void> {
  await updateLiveSession(ref, sessionId, 'SET visible = :value', { ':value': visible });
}

export async function rememberAccess(
  ref: TableRef,
  sessionId: string,
  installationId: number,
  access: RememberedAccess,
): Promise<void> {
  await updateLiveSession(
    ref,
    sessionId,
    'SET #access.#installation = :value',
    {
      ':value': access,
    },
    { '#access': 'access', '#installation': String(installationId) },
  );
}

/**
 * Stores refreshed tokens, only over the ones they replace: of two requests
 * refreshing at once, the second finds the first's tokens (false) and uses those.
 */
export async function replaceTokens(
  ref: TableRef,
  sessionId: string,
  replaced: string,
  sealedTokens: string,
): Promise<boolean> {
  return conditionalWrite(
    ref.db.send(
      new UpdateCommand({
        TableName: ref.tableName,
        Key: keys.session(sessionId),
        UpdateExpression: 'SET sealedTokens = :next',
        ConditionExpression: 'sealedTokens = :replaced',
        ExpressionAttributeValues: { ':next': sealedTokens, ':replaced': replaced },
      }),
    ),
  );
}

/** Writes to a session that still exists: an ended one is not brought back by a late write. */
async function updateLiveSession(
  ref: TableRef,
  sessionId: string,
  update: string,
  values: Record<string, unknown>,
  names?: Record<string, string>,
): Promise<void> {
  await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: keys.session(sessionId),
      UpdateExpression: update,
      ConditionExpression: 'attribute_exists(sessionId)',
      ExpressionAttributeValues: values,
      ...(names ? { ExpressionAttributeNames: names } : {}),
    }),
  );
}

export async function endSession(ref: TableRef, sessionId: string): Promise<void> {
  await ref.db.send(new DeleteCommand({ TableName: ref.tableName, Key: keys.session(sessionId) }));
}
