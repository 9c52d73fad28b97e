import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EmbeddedAws } from '#infra/local/embedded-aws.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import type { RollupJob } from '#shared/queue/rollup-job.ts';

export interface QueryReads {
  queries: number;
  items: number;
  /** Read units DynamoDB reported consuming. */
  capacity: number;
}

/**
 * A table client on the embedded DynamoDB that counts what every query
 * (and, in `commands`, every other read) returns and what DynamoDB charges
 * for it; `reset` starts a new count.
 */
export function countingTable(aws: EmbeddedAws, commands: readonly string[] = ['QueryCommand']) {
  let reads: QueryReads = { queries: 0, items: 0, capacity: 0 };
  const dynamo = new DynamoDBClient({
    region: aws.env.AWS_REGION,
    endpoint: aws.env.AWS_ENDPOINT_URL_DYNAMODB,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const query = commands.includes(context.commandName ?? '');
      if (query)
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      if (query) {
        const output = result.output as {
          Count?: number;
          Item?: unknown;
          ConsumedCapacity?: { CapacityUnits?: number };
        };
        reads.queries++;
        reads.items += output.Count ?? (output.Item ? 1 : 0);
        reads.capacity += output.ConsumedCapacity?.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'countReads' },
  );
  return {
    table: { db: createDocumentClient(dynamo), tableName: aws.tableName },
    reads: () => reads,
    reset: () => {
      reads = { queries: 0, items: 0, capacity: 0 };
    },
  };
}

/** The job a benchmark rolls one week up with: no digest, a key its label names. */
export function benchRollupJob(label: string, installationId: number, week: string): RollupJob {
  return {
    version: 1,
    kind: 'rollup',
    idempotencyKey: `bench:${label}`,
    installationId,
    week,
    digest: false,
    requestedAt: new Date().toISOString(),
  };
}
