import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import {
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from '#infra/local/local-stack.ts';
import { type SentWebhook, sendSignedWebhook } from '#infra/local/sign-and-send.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import type { ItemKey } from '#shared/store/keys.ts';
import type { TableRef } from '#shared/store/table.ts';

export const testSecret = 'integration-test-secret';

export interface StackHarness {
  readonly stack: LocalStack;
  sqs: SQSClient;
  db: DynamoDBDocumentClient;
  /** The stack's table, as the store's functions take it. */
  readonly table: TableRef;
  /** Signs with the stack's secret and posts to its webhook URL. */
  send(event: string, payload: unknown, deliveryId?: string): Promise<SentWebhook>;
  get(key: ItemKey): Promise<Record<string, unknown> | undefined>;
  /** Every item in the table (tests are small). */
  scan(): Promise<Record<string, unknown>[]>;
  /** Receives and deletes everything on a queue, returning the parsed bodies. */
  drain(queueUrl: string): Promise<unknown[]>;
  /** Stops a function's queue poller, for a test that reads that queue itself. */
  stopPoller(functionName: string): Promise<void>;
}

/**
 * Starts the local stack (in memory, free ports) for one test file. `extra`
 * is read when the stack starts, after earlier `beforeAll` hooks ran.
 */
export function useLocalStack(extra: () => Partial<LocalStackOptions> = () => ({})): StackHarness {
  let stack: LocalStack | undefined;
  let sqs: SQSClient;
  let db: DynamoDBDocumentClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, webhookSecret: testSecret, ...extra() });
    sqs = new SQSClient({});
    db = createDocumentClient();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const harness: StackHarness = {
    get stack() {
      if (!stack) throw new Error('local stack not started');
      return stack;
    },
    get sqs() {
      return sqs;
    },
    get db() {
      return db;
    },
    get table() {
      return { db, tableName: harness.stack.aws.tableName };
    },
    send: (event, payload, deliveryId = randomUUID()) =>
      sendSignedWebhook({
        url: harness.stack.webhookUrl,
        secret: testSecret,
        event,
        payload,
        deliveryId,
      }),
    async get(key) {
      const { Item } = await db.send(
        new GetCommand({ TableName: harness.stack.aws.tableName, Key: key }),
      );
      return Item;
    },
    async scan() {
      const { Items = [] } = await db.send(
        new ScanCommand({ TableName: harness.stack.aws.tableName }),
      );
      return Items;
    },
    async stopPoller(functionName) {
      const poller = harness.stack.pollers.find((p) => p.functionName === functionName);
      if (!poller) throw new Error(`no ${functionName} poller running`);
      await poller.stop();
    },
    async drain(queueUrl) {
      const bodies: unknown[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
        );
        if (Messages.length === 0) return bodies;
        bodies.push(...Messages.map((message) => JSON.parse(message.Body ?? 'null')));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
      }
    },
  };
  return harness;
}
