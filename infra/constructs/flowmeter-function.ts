import { type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  type EnvironmentName,
  type FunctionDefinition,
  type ItemAccess,
  type QueueName,
  queueUrlVariable,
  serviceName,
} from '#shared/function-definition.ts';
import { lambdaAliases, lambdaBuildOptions } from '../lambda-bundling.ts';

/** What a function is bound to in this stack; which of it is used, its definition says. */
export interface FlowmeterFunctionWiring<Definition extends FunctionDefinition> {
  table: ITableV2;
  /** The queues it sends to or consumes. */
  queues?: Partial<Record<QueueName, IQueue>>;
  /** The HTTP API its routes join (HTTP trigger). */
  api?: HttpApi;
  /** Its schedule's expression, and where invocations that kept failing go (schedule trigger). */
  schedule?: { expression: string; failures: IQueue };
  /** Instances its queue's event source runs at most (queue trigger; SQS allows 2 to 1000). */
  maxConcurrency?: number;
  /** Account concurrency kept for it alone; none when 0 or absent. */
  reservedConcurrency?: number;
  /** The rest of its environment, by the names its config schema parses. */
  environment?: Partial<Record<EnvironmentName<Definition>, string>>;
}

/**
 * Every Flowmeter Lambda, built from its definition: Node.js 24 on arm64, ESM
 * bundled by esbuild with the AWS SDK inside (the version we test with, not
 * whatever the runtime ships), JSON logs kept a month, X-Ray tracing; its
 * table and queues bound (environment variable and IAM grant together), its
 * trigger attached.
 */
export class FlowmeterFunction<
  Definition extends FunctionDefinition = FunctionDefinition,
> extends NodejsFunction {
  public readonly definition: Definition;
  /** The schedule that invokes it, when it has one. */
  public readonly schedule: Schedule | undefined;
  /** Its routes on the HTTP API, when it has any. */
  public readonly routes: HttpRoute[];

  constructor(
    scope: Construct,
    id: string,
    definition: Definition,
    wiring: FlowmeterFunctionWiring<Definition>,
  ) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, allowed to write to its own log group only, instead of
    // the AWS managed AWSLambdaBasicExecutionRole (logs:* on every group).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    const { trigger } = definition;
    super(scope, id, {
      role,
      entry: `functions/${definition.name}/handler.ts`,
      handler: 'handler',
      description: definition.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(definition.timeoutSeconds),
      memorySize: definition.memoryMb,
      reservedConcurrentExecutions: wiring.reservedConcurrency || undefined,
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      // Asynchronous invocations (schedules) that fail after Lambda's retries.
      deadLetterQueue: wiring.schedule?.failures,
      environment: {
        // A function with heap limits runs with exactly those flags, as its memory benchmark measured.
        NODE_OPTIONS: definition.nodeOptions ?? '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: serviceName(definition),
        ...wiring.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: lambdaBuildOptions.target,
        minify: lambdaBuildOptions.minify,
        sourceMap: true,
        bundleAwsSDK: true,
        mainFields: [...lambdaBuildOptions.mainFields],
        // Lambda's credentials are in the environment, zones in the runtime: see each file.
        esbuildArgs: Object.fromEntries(
          Object.entries(lambdaAliases).map(([module, file]) => [`--alias:${module}`, file]),
        ),
        // CommonJS dependencies inside an ESM bundle still call require().
        banner:
          "import { createRequire as flowmeterCreateRequire } from 'node:module'; const require = flowmeterCreateRequire(import.meta.url);",
      },
    });
    this.definition = definition;
    this.bindTable(wiring.table, definition.table);
    for (const name of definition.sendsTo) {
      const queue = queueOf(wiring, name, definition);
      this.addEnvironment(queueUrlVariable[name], queue.queueUrl);
      queue.grantSendMessages(this);
    }
    if (trigger.kind === 'queue')
      this.consume(
        queueOf(wiring, trigger.queue, definition),
        trigger.batchSize,
        wiring.maxConcurrency,
      );
    this.routes = trigger.kind === 'http' ? this.route(wiring.api, trigger) : [];
    this.schedule =
      trigger.kind === 'schedule' ? this.scheduled(wiring.schedule, trigger.input) : undefined;
    if (trigger.kind !== 'schedule') {
      Validations.of(this).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously (HTTP API) or by an SQS event source: failures go back to the caller or to the queue, whose redrive policy parks them on its dead-letter queue.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and PutTelemetryRecords accept no narrower resource.',
    });
  }

  /** TABLE_NAME plus read, read-write or item-and-attribute access. */
  private bindTable(table: ITableV2, access: FunctionDefinition['table']): void {
    this.addEnvironment('TABLE_NAME', table.tableName);
    if (typeof access === 'object') {
      for (const statement of access) this.addToRolePolicy(itemAccessStatement(table, statement));
      if (access.some((statement) => statement.actions.includes('Query')))
        this.acknowledgeIndexes(table);
      return;
    }
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    this.acknowledgeIndexes(table);
  }

  private acknowledgeIndexes(table: ITableV2): void {
    const tableResource = table.node.defaultChild as CfnResource;
    Validations.of(this.role ?? this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(table).getLogicalId(tableResource)}.Arn>/index/*]`,
      reason: 'The grant covers the table and its indexes, which are one single-table design.',
    });
  }

  /**
   * Invoked by SQS with up to `batchSize` messages, reporting the ones that
   * failed so only those are retried (then parked by the queue's redrive policy).
   */
  private consume(queue: IQueue, batchSize: number, maxConcurrency?: number): void {
    this.addEventSource(
      new SqsEventSource(queue, { batchSize, maxConcurrency, reportBatchItemFailures: true }),
    );
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "SQS event sources take no on-failure destination: a failed message returns to the queue and its redrive policy moves it to the queue's dead-letter queue.",
    });
  }

  /** Its routes on the HTTP API, IAM-authorised or with what checks callers instead. */
  private route(
    api: HttpApi | undefined,
    trigger: Extract<FunctionDefinition['trigger'], { kind: 'http' }>,
  ): HttpRoute[] {
    if (!api) throw new Error(`${this.definition.name}: an HTTP function needs the API`);
    const integration = new HttpLambdaIntegration(
      `${pascalName(this.definition)}Integration`,
      this,
    );
    const routes: HttpRoute[] = trigger.routes.flatMap((route) =>
      api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(trigger.authorization === 'iam' ? { authorizer: new HttpIamAuthorizer() } : {}),
      }),
    );
    if (trigger.authorization === 'none') {
      for (const route of routes)
        Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: trigger.checkedBy });
    }
    return routes;
  }

  /** An EventBridge Scheduler schedule invoking it with `input`. */
  private scheduled(
    schedule: FlowmeterFunctionWiring<Definition>['schedule'],
    input: Record<string, unknown>,
  ): Schedule {
    if (!schedule)
      throw new Error(`${this.definition.name}: a scheduled function needs its schedule`);
    const created = new Schedule(this, 'Schedule', {
      description: this.definition.description,
      schedule: ScheduleExpression.expression(schedule.expression),
      target: new LambdaInvoke(this, {
        input: ScheduleTargetInput.fromObject(input),
        deadLetterQueue: schedule.failures,
      }),
    });
    // The scheduler's role (made by LambdaInvoke, at stack level) may invoke the function's versions.
    const stack = Stack.of(this);
    Validations.of(stack).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.node.defaultChild as CfnResource)}.Arn>:*]`,
      reason:
        "EventBridge Scheduler's target grant covers the function and its versions (`<arn>:*`), one function only.",
    });
    return created;
  }
}

/** A function's name as construct ids and alarm names spell it: `sync-worker` → `SyncWorker`. */
export function pascalName(definition: Pick<FunctionDefinition, 'name'>): string {
  return definition.name.replace(/(?:^|-)(\w)/g, (_, letter: string) => letter.toUpperCase());
}

function queueOf(
  wiring: FlowmeterFunctionWiring<FunctionDefinition>,
  name: QueueName,
  definition: FunctionDefinition,
): IQueue {
  const queue = wiring.queues?.[name];
  if (!queue) throw new Error(`${definition.name}: its ${name} queue was not wired`);
  return queue;
}

/** One fine-grained grant: its actions on its partitions' items (a Query, on the indexes too), and its attributes. */
function itemAccessStatement(table: ITableV2, access: ItemAccess): PolicyStatement {
  return new PolicyStatement({
    actions: access.actions.map((action) => `dynamodb:${action}`),
    resources: access.actions.includes('Query')
      ? [table.tableArn, `${table.tableArn}/index/*`]
      : [table.tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...access.partitions] },
      ...(access.exceptPartitions
        ? { 'ForAllValues:StringNotLike': { 'dynamodb:LeadingKeys': [...access.exceptPartitions] } }
        : {}),
      ...(access.attributes
        ? {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...access.attributes] },
            // Reads name what they return (no whole items); writes return at most what they set.
            StringEqualsIfExists: {
              'dynamodb:Select': 'SPECIFIC_ATTRIBUTES',
              'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'],
            },
          }
        : {}),
    },
  });
}
