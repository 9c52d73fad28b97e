import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { canonicalJson } from '#shared/canonical-json.ts';
import { table } from '#shared/resources.ts';
import { localAws } from './local-credentials.ts';

/**
 * What a run of the local stack would be billed for on AWS, counted where it
 * happens: each handler invocation and its duration, and every request to
 * the embedded DynamoDB, SQS and SES servers, through a metering proxy in
 * front of each. The cost benchmark reads it; nothing else turns it on.
 */
export interface Usage {
  /** Per function: invocations and milliseconds, each invocation rounded up to a whole millisecond as Lambda bills. */
  lambda: Record<string, { invocations: number; milliseconds: number }>;
  /** Request units as on-demand DynamoDB bills them: the table's as DynamoDB reports them, its indexes' derived from each item's images. */
  dynamodb: { requests: number; readUnits: number; writeUnits: number; indexWriteUnits: number };
  /** Billed SQS requests (one per 64 KiB of payload), and the receives that found nothing. */
  sqs: { requests: number; emptyReceives: number };
  /** Emails SES was asked to send, one per recipient. */
  ses: { messages: number };
}

type Item = Record<string, AttributeValue>;
type Service = 'dynamodb' | 'sqs' | 'ses';

/** An item's size by DynamoDB's rules: dynalite's own, the one its capacity figures use. */
export const { itemSize } = createRequire(import.meta.url)('dynalite/db/index.js') as {
  itemSize(item: Item): number;
};
const writeUnits = (item: Item) => Math.max(1, Math.ceil(itemSize(item) / 1024));
const sqsChunkBytes = 64 * 1024;

export class UsageMeter {
  private usage: Usage = {
    lambda: {},
    dynamodb: { requests: 0, readUnits: 0, writeUnits: 0, indexWriteUnits: 0 },
    sqs: { requests: 0, emptyReceives: 0 },
    ses: { messages: 0 },
  };
  private readonly servers: Server[] = [];

  /** A copy of the counts so far; the difference of two is what happened between them. */
  snapshot(): Usage {
    return structuredClone(this.usage);
  }

  /** The handler, counted: each call's invocation and its wall-clock duration. */
  lambda<Handler extends (...args: never[]) => Promise<unknown>>(
    functionName: string,
    handler: Handler,
  ): Handler {
    const counts = { invocations: 0, milliseconds: 0 };
    this.usage.lambda[functionName] = counts;
    return (async (...args: Parameters<Handler>) => {
      const started = performance.now();
      try {
        return await handler(...args);
      } finally {
        counts.invocations += 1;
        counts.milliseconds += Math.ceil(performance.now() - started);
      }
    }) as Handler;
  }

  /** An endpoint that forwards to `target` and counts what passes; the SDK is pointed at it instead. */
  async endpoint(service: Service, target: string): Promise<string> {
    const meter = {
      dynamodb: () => this.dynamodbExchange(new DynamoDBClient({ ...localAws, endpoint: target })),
      sqs: () => this.sqsExchange(),
      ses: () => this.sesExchange(),
    }[service]();
    const server = createServer((request, response) => {
      void (async () => {
        const body = await read(request);
        const forward = async (sentBody: string) => {
          const answer = await fetch(new URL(request.url ?? '/', target), {
            method: request.method,
            headers: forwardedHeaders(request),
            ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: sentBody }),
          });
          return { status: answer.status, headers: answer.headers, body: await answer.text() };
        };
        const answer = await meter(request, body, forward);
        const headers = Object.fromEntries(
          [...answer.headers].filter(([name]) => !hopHeaders.has(name)),
        );
        response.writeHead(answer.status, headers);
        response.end(answer.body);
      })().catch((error: unknown) => {
        response.writeHead(502).end(String(error));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map((server) => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      }),
    );
  }

  /**
   * Asks DynamoDB for its consumed capacity on every call, and reads each
   * written item before and after: dynalite reports the table's units only,
   * and DynamoDB bills every index entry a write adds, changes or removes.
   */
  private dynamodbExchange(direct: DynamoDBClient): Exchange {
    const current = ({ tableName, key }: WrittenItem) =>
      direct
        .send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))
        .then((answer) => answer.Item);
    return async (request, body, forward) => {
      const operation = String(request.headers['x-amz-target']).split('.')[1] ?? '';
      const input = JSON.parse(body) as Record<string, unknown>;
      const written = writtenItems(operation, input);
      const before = await Promise.all(written.map(current));
      const answer = await forward(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      const after = await Promise.all(written.map(current));
      const output = JSON.parse(answer.body || '{}') as {
        ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
        __type?: string;
      };
      const usage = this.usage.dynamodb;
      usage.requests += 1;
      const units = [output.ConsumedCapacity ?? []]
        .flat()
        .reduce((sum, capacity) => sum + (capacity.CapacityUnits ?? 0), 0);
      if (written.length > 0) usage.writeUnits += units;
      else usage.readUnits += units;
      // A failed condition is billed as a write of the item as it stands.
      if (output.__type?.endsWith('ConditionalCheckFailedException')) {
        usage.writeUnits += before[0] ? writeUnits(before[0]) : 1;
      }
      written.forEach((_, index) => {
        usage.indexWriteUnits += indexWriteUnits(before[index], after[index]);
      });
      return answer;
    };
  }

  private sqsExchange(): Exchange {
    return async (request, body, forward) => {
      const answer = await forward(body);
      const operation = String(request.headers['x-amz-target']).split('.')[1];
      // No function asks for queue attributes: the local poller and the benchmark's waiting do.
      if (operation === 'GetQueueAttributes') return answer;
      this.usage.sqs.requests += Math.max(1, Math.ceil(Buffer.byteLength(body) / sqsChunkBytes));
      if (
        operation === 'ReceiveMessage' &&
        !(JSON.parse(answer.body || '{}') as { Messages?: unknown[] }).Messages?.length
      ) {
        this.usage.sqs.emptyReceives += 1;
      }
      return answer;
    };
  }

  private sesExchange(): Exchange {
    return async (request, body, forward) => {
      const answer = await forward(body);
      if (request.method === 'POST' && request.url?.startsWith('/v2/email/outbound-emails')) {
        const { Destination = {} } = JSON.parse(body) as {
          Destination?: Partial<Record<'ToAddresses' | 'CcAddresses' | 'BccAddresses', string[]>>;
        };
        this.usage.ses.messages += Object.values(Destination).flat().length;
      }
      return answer;
    };
  }
}

type Forwarded = { status: number; headers: Headers; body: string };
type Exchange = (
  request: IncomingMessage,
  body: string,
  forward: (body: string) => Promise<Forwarded>,
) => Promise<Forwarded>;

interface WrittenItem {
  tableName: string;
  key: Item;
}

/** The items a DynamoDB call writes, each by its table and key (none for a read). */
function writtenItems(operation: string, input: Record<string, unknown>): WrittenItem[] {
  const keyOf = (item: Item): Item => ({
    [table.partitionKey]: item[table.partitionKey] as AttributeValue,
    [table.sortKey]: item[table.sortKey] as AttributeValue,
  });
  const tableName = input.TableName as string;
  switch (operation) {
    case 'PutItem':
      return [{ tableName, key: keyOf(input.Item as Item) }];
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ tableName, key: input.Key as Item }];
    case 'BatchWriteItem':
      return Object.entries(
        input.RequestItems as Record<
          string,
          { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]
        >,
      ).flatMap(([batchTable, writes]) =>
        writes.map((write) => ({
          tableName: batchTable,
          key: write.PutRequest ? keyOf(write.PutRequest.Item) : (write.DeleteRequest?.Key as Item),
        })),
      );
    default:
      return [];
  }
}

/** What DynamoDB bills the indexes for one item going from `before` to `after`. */
export function indexWriteUnits(before: Item | undefined, after: Item | undefined): number {
  let units = 0;
  for (const index of table.indexes) {
    const entry = (item: Item | undefined) =>
      item?.[index.partitionKey] && item[index.sortKey]
        ? JSON.stringify([item[index.partitionKey], item[index.sortKey]])
        : undefined;
    const was = entry(before);
    const is = entry(after);
    if (was && is && was === is && canonicalJson(before) === canonicalJson(after)) continue;
    if (was && was !== is) units += writeUnits(before as Item);
    if (is) units += writeUnits(after as Item);
  }
  return units;
}

const hopHeaders = new Set([
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
]);

function forwardedHeaders(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => name !== 'host' && !hopHeaders.has(name) && name !== 'expect')
      .map(([name, value]) => [name, String(value)]),
  );
}

async function read(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
