import type * as z from 'zod/mini';

/**
 * What a Lambda function is, said once: its folder, size, trigger, the table
 * and queues it is bound to, and the environment it parses at cold start.
 * `functions/<name>/function.ts` holds each; the CDK constructs and the local
 * stack both build the function from it, so the two cannot disagree.
 */
export interface FunctionDefinition<Config extends z.ZodMiniObject = z.ZodMiniObject> {
  /** Its folder under `functions/`, holding `handler.ts`. */
  name: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  trigger: Trigger;
  /** TABLE_NAME, with read or read-write access, or only some item actions on some items. */
  table: 'read' | 'readWrite' | readonly ItemAccess[];
  /** Queues it sends to: each queue's URL variable, with permission to send. */
  sendsTo: readonly QueueName[];
  /** Its environment, parsed once at cold start (`parseEnv`). */
  config: Config;
  /** Extra Node.js flags (V8 heap limits). */
  nodeOptions?: string;
}

/**
 * Only these item actions, on the items of these partitions and, where
 * given, on these attributes and nothing else of them (IAM's fine-grained
 * access: a function the public can call gets no Scan or batch write, and
 * touches no item or attribute it does not use).
 */
export interface ItemAccess {
  /** `Query` covers the table's indexes too. */
  actions: readonly ('GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query')[];
  /** Partition keys, `*` a wildcard (`SESSION#*`): IAM's `dynamodb:LeadingKeys`. */
  partitions: readonly string[];
  /** Partition keys among those it may not touch (`INST#*#*`: an installation's sub-partitions). */
  exceptPartitions?: readonly string[];
  /** Top-level attributes, the table's keys among them; every attribute when absent. */
  attributes?: readonly string[];
}

export type QueueName = 'sync' | 'rollup' | 'notify' | 'copilot' | 'teams' | 'holidays';

/** The deploy configuration keys that hold schedule expressions (`infra/deploy-config.ts`). */
export type ScheduleName =
  | 'reconcileSchedule'
  | 'rollupSchedule'
  | 'retentionSchedule'
  | 'nudgeSchedule';

export type Trigger =
  /** Routes on the HTTP API (API Gateway path syntax); `iam` ones need SigV4-signed calls. */
  | { kind: 'http'; routes: readonly HttpRoute[]; authorization: 'iam' }
  /** Routes anyone may call: `checkedBy` says what authenticates the caller instead. */
  | { kind: 'http'; routes: readonly HttpRoute[]; authorization: 'none'; checkedBy: string }
  /** An SQS event source: batches of up to `batchSize`, failures reported per record. */
  | { kind: 'queue'; queue: QueueName; batchSize: number }
  /** An EventBridge Scheduler schedule invoking it with `input`. */
  | { kind: 'schedule'; schedule: ScheduleName; input: Record<string, unknown> };

export interface HttpRoute {
  method: 'GET' | 'POST';
  /** API Gateway syntax: `/api/{proxy+}`, `/unsubscribe/{installationId}/{token}`. */
  path: string;
}

/** The environment variable that carries each queue's URL. */
export const queueUrlVariable = {
  sync: 'SYNC_QUEUE_URL',
  rollup: 'ROLLUP_QUEUE_URL',
  notify: 'NOTIFY_QUEUE_URL',
  copilot: 'COPILOT_QUEUE_URL',
  teams: 'TEAMS_QUEUE_URL',
  holidays: 'HOLIDAYS_QUEUE_URL',
} as const satisfies Record<QueueName, string>;

/** The names of a function's environment variables, as its config schema has them. */
export type EnvironmentName<Definition extends FunctionDefinition> = Extract<
  keyof Definition['config']['shape'],
  string
>;

/** Service name in logs and metrics: `flowmeter-<folder>`. */
export function serviceName(definition: Pick<FunctionDefinition, 'name'>): string {
  return `flowmeter-${definition.name}`;
}
