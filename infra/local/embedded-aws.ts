import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { queueUrlVariable } from '#shared/function-definition.ts';
import { table } from '#shared/resources.ts';
import { type QueueDefinition, queues } from '../queues.ts';
import { localAws } from './local-credentials.ts';
import { sdkOnly } from './loopback-only.ts';
import type { UsageMeter } from './usage-meter.ts';

/**
 * The laptop's AWS: DynamoDB (dynalite), SQS with dead-letter redrive
 * (fauxqs) and SES (aws-ses-v2-local), on 127.0.0.1 (fauxqs on every
 * interface: it binds 0.0.0.0 with no option, see
 * docs/local-development.md), with the table and queues created from the
 * same definitions the CDK stack deploys.
 */
export interface EmbeddedAws {
  /** Environment that points the AWS SDK and the handlers at these servers. */
  env: Record<string, string>;
  tableName: string;
  syncQueueUrl: string;
  syncDeadLetterQueueUrl: string;
  notifyQueueUrl: string;
  rollupQueueUrl: string;
  teamsQueueUrl: string;
  sesInboxUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedAwsOptions {
  /** Folder to persist DynamoDB and SQS state in; in memory when absent. */
  dataDir?: string;
  /** Ports for DynamoDB, SQS and SES; 0 (any free port) when absent. */
  ports?: { dynamodb: number; sqs: number; ses: number };
  /** Counts every request to the three servers (the SDK talks to them through it). */
  meter?: UsageMeter;
}

// aws-ses-v2-local is CommonJS with an `exports.default`; Node and Vite's ESM
// interop disagree on what a default import of it is, require() does not.
const startSes: typeof import('aws-ses-v2-local').default = createRequire(import.meta.url)(
  'aws-ses-v2-local',
).default;

const { region, credentials } = localAws;
const tableName = `${table.logicalName}-local`;

/**
 * Clients for the stack `npm start` is running (DynamoDB on PORT+1, SQS on
 * PORT+2), for the commands operators run beside it.
 */
/** The local stack's Slack URL key phrase, unless SLACK_URL_KEY says otherwise: a development value, like the webhook secret's. */
export const localSlackUrlKey = 'flowmeter-local-development-slack-url-key';

export function connectToRunningStack(port = Number(process.env.PORT ?? 3000)) {
  const sqsEndpoint = `http://127.0.0.1:${port + 2}`;
  const queueUrl = (name: string) => `${sqsEndpoint}/000000000000/${name}`;
  return {
    sqs: new SQSClient({ region, credentials, endpoint: sqsEndpoint }),
    sqsEndpoint,
    table: {
      db: createDocumentClient(
        new DynamoDBClient({ region, credentials, endpoint: `http://127.0.0.1:${port + 1}` }),
      ),
      tableName,
    },
    syncQueueUrl: queueUrl(queues.sync.logicalName),
    syncDeadLetterQueueUrl: queueUrl(queues.sync.deadLetter.logicalName),
    rollupQueueUrl: queueUrl(queues.rollup.logicalName),
    teamsQueueUrl: queueUrl(queues.teams.logicalName),
  };
}

export async function startEmbeddedAws(options: EmbeddedAwsOptions = {}): Promise<EmbeddedAws> {
  const ports = options.ports ?? { dynamodb: 0, sqs: 0, ses: 0 };
  if (options.dataDir) await mkdir(join(options.dataDir, 'sqs'), { recursive: true });

  const dynamoServer: Server = dynalite({
    path: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined,
    createTableMs: 0,
    updateTableMs: 0,
  });
  dynamoServer.listen(ports.dynamodb, '127.0.0.1');
  await once(dynamoServer, 'listening');
  sdkOnly(dynamoServer);
  const sqsServer = await startFauxqs({
    port: ports.sqs,
    logger: false,
    dataDir: options.dataDir ? join(options.dataDir, 'sqs') : undefined,
  });
  const sesServer = await startSes({ host: '127.0.0.1', port: ports.ses });

  const { meter } = options;
  const endpoint = (service: 'dynamodb' | 'sqs' | 'ses', address: string) =>
    meter ? meter.endpoint(service, address) : Promise.resolve(address);
  const dynamoEndpoint = await endpoint(
    'dynamodb',
    `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`,
  );
  const sqsEndpoint = await endpoint('sqs', sqsServer.address);
  const sesEndpoint = `http://127.0.0.1:${(sesServer.address() as AddressInfo).port}`;
  const env = {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    AWS_ENDPOINT_URL_SESV2: await endpoint('ses', sesEndpoint),
  };

  await createTable(new DynamoDBClient({ region, credentials, endpoint: dynamoEndpoint }));
  const sync = await createQueueWithDeadLetter(sqsEndpoint, queues.sync);
  const notify = await createQueueWithDeadLetter(sqsEndpoint, queues.notify);
  const rollup = await createQueueWithDeadLetter(sqsEndpoint, queues.rollup);
  const copilot = await createQueueWithDeadLetter(sqsEndpoint, queues.copilot);
  const teams = await createQueueWithDeadLetter(sqsEndpoint, queues.teams);
  const holidays = await createQueueWithDeadLetter(sqsEndpoint, queues.holidays);

  return {
    env: {
      ...env,
      TABLE_NAME: tableName,
      [queueUrlVariable.sync]: sync.url,
      [queueUrlVariable.notify]: notify.url,
      [queueUrlVariable.rollup]: rollup.url,
      [queueUrlVariable.copilot]: copilot.url,
      [queueUrlVariable.teams]: teams.url,
      [queueUrlVariable.holidays]: holidays.url,
    },
    tableName,
    syncQueueUrl: sync.url,
    syncDeadLetterQueueUrl: sync.deadLetterUrl,
    notifyQueueUrl: notify.url,
    rollupQueueUrl: rollup.url,
    teamsQueueUrl: teams.url,
    sesInboxUrl: sesEndpoint,
    async stop() {
      await meter?.close();
      await Promise.all([
        new Promise<void>((resolve) => dynamoServer.close(() => resolve())),
        sqsServer.stop(),
        new Promise<void>((resolve) => sesServer.close(() => resolve())),
      ]);
    },
  };
}

async function createTable(dynamo: DynamoDBClient): Promise<void> {
  const attribute = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          attribute(table.partitionKey),
          attribute(table.sortKey),
          ...table.indexes.flatMap((index) => [
            attribute(index.partitionKey),
            attribute(index.sortKey),
          ]),
        ],
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: table.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    // Restarted on persisted data: the table is already there.
    if (!(error instanceof ResourceInUseException)) throw error;
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    const missing = table.indexes.filter((index) => !present.has(index.name));
    if (missing.length > 0) {
      throw new Error(
        `[flowmeter] the table in the data directory predates index ${missing.map((index) => index.name).join(', ')}; start once with --fresh (npm start -- --fresh) to rebuild it`,
      );
    }
  }
  // dynalite's "creating" state is instant with createTableMs: 0, but wait honestly.
  for (;;) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates (or finds, on restart) a queue and its dead-letter queue with redrive. */
export async function createQueueWithDeadLetter(
  endpoint: string,
  definition: QueueDefinition,
): Promise<{ url: string; deadLetterUrl: string }> {
  const sqs = new SQSClient({ region, credentials, endpoint });
  const deadLetter = await sqs.send(
    new CreateQueueCommand({
      QueueName: definition.deadLetter.logicalName,
      Attributes: { MessageRetentionPeriod: String(definition.deadLetter.retentionSeconds) },
    }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: onEndpoint(deadLetter.QueueUrl, endpoint),
      AttributeNames: ['QueueArn'],
    }),
  );
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: definition.logicalName,
      Attributes: {
        VisibilityTimeout: String(definition.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(definition.retentionSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes?.QueueArn,
          maxReceiveCount: definition.maxReceiveCount,
        }),
      },
    }),
  );
  return {
    url: onEndpoint(main.QueueUrl, endpoint),
    deadLetterUrl: onEndpoint(deadLetter.QueueUrl, endpoint),
  };
}

/**
 * fauxqs names queues sqs.<region>.<host>, which does not resolve, and the SDK
 * sends to a queue URL's own host. The same path on the server's address
 * reaches the same queue.
 */
function onEndpoint(queueUrl: string | undefined, endpoint: string): string {
  return new URL(new URL(queueUrl as string).pathname, endpoint).href;
}
