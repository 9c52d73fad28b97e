import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { table } from '../resources.ts';
import { keys } from './keys.ts';
import {
  conditionalWrite,
  ignoreConditionFailure,
  isConditionFailure,
  type TableRef,
} from './table.ts';

export interface DeliveryClaim {
  deliveryId: string;
  eventName: string;
  now: Date;
  /** How long the claim blocks a redelivery if this attempt dies without finishing. */
  leaseSeconds: number;
  retentionDays: number;
}

/**
 * Claims a webhook delivery for processing. A delivery already done, or being
 * processed by a live attempt, is a duplicate. A claim whose lease ran out
 * (its attempt crashed) can be taken over, so a crash never loses the event.
 */
export async function claimDelivery(
  { db, tableName }: TableRef,
  claim: DeliveryClaim,
): Promise<'claimed' | 'duplicate'> {
  const nowSeconds = Math.floor(claim.now.getTime() / 1000);
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.delivery(claim.deliveryId),
          deliveryId: claim.deliveryId,
          eventName: claim.eventName,
          status: 'processing',
          leaseUntil: nowSeconds + claim.leaseSeconds,
          receivedAt: claim.now.toISOString(),
          [table.timeToLiveAttribute]: nowSeconds + claim.retentionDays * 86_400,
        },
        ConditionExpression:
          'attribute_not_exists(#pk) OR (#status = :processing AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#pk': table.partitionKey, '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing', ':now': nowSeconds },
      }),
    );
    return 'claimed';
  } catch (error) {
    if (isConditionFailure(error)) return 'duplicate';
    throw error;
  }
}

/** Marks the delivery done: any redelivery from now on is a duplicate. */
export async function completeDelivery(
  { db, tableName }: TableRef,
  deliveryId: string,
  outcome: string,
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.delivery(deliveryId),
      UpdateExpression: 'SET #status = :done, outcome = :outcome REMOVE leaseUntil',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':outcome': outcome },
    }),
  );
}

/** Gives the claim back after a failed attempt, so GitHub's redelivery is processed. */
export async function releaseDelivery(
  { db, tableName }: TableRef,
  deliveryId: string,
): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: tableName,
        Key: keys.delivery(deliveryId),
        ConditionExpression: '#status = :processing',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing' },
      }),
    )
    .catch(ignoreConditionFailure);
}

/** Gives a redelivery claim back when GitHub could not be asked, so the next run asks. */
export async function releaseRedelivery(
  { db, tableName }: TableRef,
  deliveryId: string,
): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: keys.redelivery(deliveryId) }));
}

/** Whether Flowmeter finished processing a delivery (whatever GitHub's log says of it). */
export async function deliveryDone(
  { db, tableName }: TableRef,
  deliveryId: string,
): Promise<boolean> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.delivery(deliveryId), ConsistentRead: true }),
  );
  return Item?.status === 'done';
}

/**
 * Claims the one redelivery Flowmeter asks GitHub for a failed delivery:
 * false when one was asked already (the mark outlives GitHub's three days).
 */
export async function claimRedelivery(
  { db, tableName }: TableRef,
  deliveryId: string,
  now: Date,
): Promise<boolean> {
  return conditionalWrite(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.redelivery(deliveryId),
          deliveryId,
          askedAt: now.toISOString(),
          [table.timeToLiveAttribute]: Math.floor(now.getTime() / 1000) + 7 * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': table.partitionKey },
      }),
    ),
  );
}
