import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import { ignoreConditionFailure, isConditionFailure, type TableRef } from './table.ts';

/**
 * One record per email and recipient makes each email go out at most once,
 * however often its event is delivered: the sender claims the record
 * ('sending'), sends, then marks it 'sent'. A send that fails gives the claim
 * back so the retry sends; a process that died between the two writes leaves
 * 'sending' behind, and that email is not sent again (it may have gone out):
 * 'in-doubt' is such a claim, or one another delivery holds while it sends.
 */
export type EmailClaim = 'claimed' | 'sent' | 'in-doubt';

export interface EmailRef {
  installationId: number;
  /** `<kind>:<run>`, e.g. `weekly-digest:2026-W46`. */
  emailKey: string;
  recipient: string;
}

const itemKey = (email: EmailRef) =>
  keys.sentEmail(email.installationId, email.emailKey, email.recipient);

export async function claimEmail(
  ref: TableRef,
  email: EmailRef,
  now: Date,
  /** Epoch seconds after which DynamoDB may forget the record; kept for ever when absent. */
  expiresAt?: number,
): Promise<EmailClaim> {
  try {
    await ref.db.send(
      new PutCommand({
        TableName: ref.tableName,
        Item: {
          ...itemKey(email),
          ...email,
          state: 'sending',
          claimedAt: now.toISOString(),
          [table.timeToLiveAttribute]: expiresAt,
        },
        ConditionExpression: `attribute_not_exists(${table.sortKey})`,
      }),
    );
    return 'claimed';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const { Item } = await ref.db.send(
      new GetCommand({ TableName: ref.tableName, Key: itemKey(email) }),
    );
    return Item?.state === 'sent' ? 'sent' : 'in-doubt';
  }
}

export async function markEmailSent(
  ref: TableRef,
  email: EmailRef,
  messageId: string,
  now: Date,
): Promise<void> {
  await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: itemKey(email),
      UpdateExpression: 'SET #state = :sent, messageId = :messageId, sentAt = :now',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':sent': 'sent',
        ':messageId': messageId,
        ':now': now.toISOString(),
      },
    }),
  );
}

/** Gives a claim back after SES refused the email, so the retry sends it. */
export async function releaseEmailClaim(ref: TableRef, email: EmailRef): Promise<void> {
  await ref.db
    .send(
      new DeleteCommand({
        TableName: ref.tableName,
        Key: itemKey(email),
        ConditionExpression: '#state = :sending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sending': 'sending' },
      }),
    )
    .catch(ignoreConditionFailure);
}
