import { type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface TeamFunctionProps {
  /** Folder under `functions/` holding `handler.ts`. */
  functionDir: string;
  description: string;
  /** @default Duration.seconds(10) */
  timeout?: Duration;
  /** @default 512 */
  memorySize?: number;
  /**
   * Where events of asynchronous invocations (schedules) go once Lambda's
   * retries are spent. Functions invoked synchronously (HTTP) or by an SQS
   * event source have none: the caller sees the error, or the queue's
   * redrive policy parks the message.
   */
  deadLetterQueue?: IQueue;
}

/**
 * Every Flowmeter Lambda: Node.js 24 on arm64, ESM bundled by esbuild with the
 * AWS SDK inside (the version we test with, not whatever the runtime ships),
 * JSON logs kept a month, X-Ray tracing. Tables and queues are bound through
 * methods that set the environment variable and the IAM grant together.
 */
export class TeamFunction extends NodejsFunction {
  /** Its folder under `functions/`: which handler this is. */
  public readonly functionDir: string;

  constructor(scope: Construct, id: string, props: TeamFunctionProps) {
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
    super(scope, id, {
      role,
      entry: `functions/${props.functionDir}/handler.ts`,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `flowmeter-${props.functionDir}`,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        // Lambda's credentials are in the environment: the SDK's full chain stays out (see the file).
        esbuildArgs: {
          '--alias:@aws-sdk/credential-provider-node': './infra/lambda-credentials.ts',
        },
        // CommonJS dependencies inside an ESM bundle still call require().
        banner:
          "import { createRequire as flowmeterCreateRequire } from 'node:module'; const require = flowmeterCreateRequire(import.meta.url);",
      },
    });
    this.functionDir = props.functionDir;
    if (!props.deadLetterQueue) {
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

  /** TABLE_NAME plus read or read-write access. */
  bindTable(table: ITableV2, access: 'read' | 'readWrite'): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    const tableResource = table.node.defaultChild as CfnResource;
    Validations.of(this.role ?? this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(table).getLogicalId(tableResource)}.Arn>/index/*]`,
      reason: 'The grant covers the table and its indexes, which are one single-table design.',
    });
    return this;
  }

  /**
   * Invoked by SQS with up to `batchSize` messages, reporting the ones that
   * failed so only those are retried (then parked by the queue's redrive policy).
   */
  consume(queue: IQueue, batchSize: number): this {
    this.addEventSource(new SqsEventSource(queue, { batchSize, reportBatchItemFailures: true }));
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "SQS event sources take no on-failure destination: a failed message returns to the queue and its redrive policy moves it to the queue's dead-letter queue.",
    });
    return this;
  }

  /** `<variable>` set to the queue URL, plus permission to send to it. */
  bindQueueSender(variable: string, queue: IQueue): this {
    this.addEnvironment(variable, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }
}
