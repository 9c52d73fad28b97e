import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedAws, startEmbeddedAws } from '#infra/local/embedded-aws.ts';
import { UsageMeter } from '#infra/local/usage-meter.ts';

/**
 * The cost benchmark's counts, checked against DynamoDB's, SQS's and SES's
 * billing rules worked by hand. Sizes are DynamoDB's: each attribute's name
 * plus its value, in bytes.
 */
const meter = new UsageMeter();
let aws: EmbeddedAws;
let db: DynamoDBDocumentClient;
let sqs: SQSClient;

beforeAll(async () => {
  aws = await startEmbeddedAws({ meter });
  const client = { region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } };
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...client, endpoint: aws.env.AWS_ENDPOINT_URL_DYNAMODB }),
  );
  sqs = new SQSClient({ ...client, endpoint: aws.env.AWS_ENDPOINT_URL_SQS });
});
afterAll(() => aws.stop());

/** What the calls in `work` were counted as. */
async function counted(work: () => Promise<unknown>, expectRefusal = false) {
  const before = meter.snapshot();
  await (expectRefusal ? expect(work()).rejects.toThrow() : work());
  const after = meter.snapshot();
  return {
    readUnits: after.dynamodb.readUnits - before.dynamodb.readUnits,
    writeUnits: after.dynamodb.writeUnits - before.dynamodb.writeUnits,
    indexWriteUnits: after.dynamodb.indexWriteUnits - before.dynamodb.indexWriteUnits,
    sqsRequests: after.sqs.requests - before.sqs.requests,
    emptyReceives: after.sqs.emptyReceives - before.sqs.emptyReceives,
    emails: after.ses.messages - before.ses.messages,
  };
}

// pk "m" 2+1, sk "1" 2+1, teamOpened "t" 10+1, openedAt "o" 8+1, filler 6+1,500: 1,532 bytes.
const item = { pk: 'm', sk: '1', teamOpened: 't', openedAt: 'o', filler: 'x'.repeat(1500) };

describe('UsageMeter', () => {
  it('bills a write by the kilobyte, and each index entry it adds, changes or removes', async () => {
    const put = () => db.send(new PutCommand({ TableName: aws.tableName, Item: item }));
    // 1,532 bytes: 2 WRU in the table, 2 in byOpened (its keys are there), none in byClosed.
    expect(await counted(put)).toMatchObject({ writeUnits: 2, indexWriteUnits: 2 });

    const shrink = () =>
      db.send(
        new UpdateCommand({
          TableName: aws.tableName,
          Key: { pk: 'm', sk: '1' },
          UpdateExpression: 'SET filler = :short',
          ExpressionAttributeValues: { ':short': 'x' },
        }),
      );
    // Now 33 bytes; the table bills the larger of before and after (2), the index the entry as it is now (1).
    expect(await counted(shrink)).toMatchObject({ writeUnits: 2, indexWriteUnits: 1 });

    const leaveIndex = () =>
      db.send(
        new UpdateCommand({
          TableName: aws.tableName,
          Key: { pk: 'm', sk: '1' },
          UpdateExpression: 'REMOVE teamOpened',
        }),
      );
    // Out of byOpened: the table's write (1) and the index entry's removal (1).
    expect(await counted(leaveIndex)).toMatchObject({ writeUnits: 1, indexWriteUnits: 1 });

    const failedCondition = () =>
      db.send(
        new PutCommand({
          TableName: aws.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    // Refused, still billed: a write of the item as it stands (22 bytes, 1 WRU); no index touched.
    expect(await counted(failedCondition, true)).toMatchObject({
      writeUnits: 1,
      indexWriteUnits: 0,
    });
  });

  it('reads each item of a batch by its own table to bill its index entries', async () => {
    const batch = () =>
      db.send(
        new BatchWriteCommand({
          RequestItems: { [aws.tableName]: [{ PutRequest: { Item: { ...item, sk: '3' } } }] },
        }),
      );
    // The same 1,532-byte item: 2 WRU in the table, 2 in byOpened.
    expect(await counted(batch)).toMatchObject({ writeUnits: 2, indexWriteUnits: 2 });
  });

  it('bills a read by 4 KB, half for an eventually consistent one', async () => {
    await db.send(new PutCommand({ TableName: aws.tableName, Item: { ...item, sk: '2' } }));
    const read = (ConsistentRead: boolean) => () =>
      db.send(
        new GetCommand({ TableName: aws.tableName, Key: { pk: 'm', sk: '2' }, ConsistentRead }),
      );
    expect(await counted(read(false))).toMatchObject({ readUnits: 0.5, writeUnits: 0 });
    expect(await counted(read(true))).toMatchObject({ readUnits: 1, writeUnits: 0 });
  });

  it('bills SQS by the 64 KiB chunk, tells empty receives apart, and skips the pollers’ attribute reads', async () => {
    const send = (bytes: number) => () =>
      sqs.send(
        new SendMessageCommand({ QueueUrl: aws.rollupQueueUrl, MessageBody: 'x'.repeat(bytes) }),
      );
    expect(await counted(send(100))).toMatchObject({ sqsRequests: 1 });
    // 70,000 bytes of body and the request's own fields: two chunks.
    expect(await counted(send(70_000))).toMatchObject({ sqsRequests: 2 });

    const receiveAll = () =>
      sqs.send(
        new ReceiveMessageCommand({ QueueUrl: aws.rollupQueueUrl, MaxNumberOfMessages: 10 }),
      );
    expect(await counted(receiveAll)).toMatchObject({ sqsRequests: 1, emptyReceives: 0 });
    expect(await counted(receiveAll)).toMatchObject({ sqsRequests: 1, emptyReceives: 1 });
    const attributes = () =>
      sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: aws.rollupQueueUrl, AttributeNames: ['All'] }),
      );
    expect(await counted(attributes)).toMatchObject({ sqsRequests: 0 });
  });

  it('bills SES per recipient', async () => {
    const ses = new SESv2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      endpoint: aws.env.AWS_ENDPOINT_URL_SESV2,
    });
    const send = () =>
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'flowmeter@example.com',
          Destination: {
            ToAddresses: ['a@example.com', 'b@example.com'],
            CcAddresses: ['c@example.com'],
          },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
        }),
      );
    expect(await counted(send)).toMatchObject({ emails: 3 });
  });

  it('counts each invocation of a metered handler and its duration in whole milliseconds', async () => {
    const handler = meter.lambda('example', async (ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    });
    expect(await handler(20)).toBe(20);
    await handler(5);
    const { invocations, milliseconds } = meter.snapshot().lambda.example ?? {};
    expect(invocations).toBe(2);
    expect(milliseconds).toBeGreaterThanOrEqual(25);
  });
});
