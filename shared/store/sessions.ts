import { randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import type { TableRef } from './table.ts';

/**
 * A person signed in to the dashboard. Their GitHub token is kept here,
 * server-side; the browser's cookie holds only the session id, sealed.
 * DynamoDB's TTL removes a session after `expiresAt` (epoch seconds); until
 * it does, a read treats it as gone.
 */
export interface Session {
  sessionId: string;
  userId: number;
  login: string;
  githubToken: string;
  /** Sent with every form and checked on every change. */
  csrfToken: string;
  expiresAt: number;
  /** GitHub's list of the person's installations, and when it was read. */
  visible?: {
    installations: { id: number; accountLogin: string; accountType: string }[];
    checkedAt: string;
  };
}

/** A working day: a session outlives no GitHub user token (eight hours). */
export const sessionSeconds = 8 * 3600;

export async function createSession(
  ref: TableRef,
  person: { userId: number; login: string; githubToken: string; tokenSeconds: number },
  now: Date,
): Promise<Session> {
  const session: Session = {
    sessionId: randomBytes(24).toString('base64url'),
    userId: person.userId,
    login: person.login,
    githubToken: person.githubToken,
    csrfToken: randomBytes(24).toString('base64url'),
    expiresAt: Math.floor(now.getTime() / 1000) + Math.min(sessionSeconds, person.tokenSeconds),
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
  await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: keys.session(sessionId),
      UpdateExpression: 'SET visible = :visible',
      ConditionExpression: 'attribute_exists(sessionId)',
      ExpressionAttributeValues: { ':visible': visible },
    }),
  );
}

export async function endSession(ref: TableRef, sessionId: string): Promise<void> {
  await ref.db.send(new DeleteCommand({ TableName: ref.tableName, Key: keys.session(sessionId) }));
}
