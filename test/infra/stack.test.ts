import { App, type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { reconcileFunction } from '#functions/reconcile/function.ts';
import { syncWorkerFunction } from '#functions/sync-worker/function.ts';
import { defineFlowmeterApp } from '#infra/define-app.ts';
import { queues } from '#infra/queues.ts';
import type { FlowmeterStack } from '#infra/stack.ts';
import { serviceName } from '#shared/function-definition.ts';
import { table } from '#shared/resources.ts';

/** An app like `cdk synth` builds, minus esbuild bundling (not what these tests check). */
function newApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

describe('FlowmeterStack', () => {
  let stack: FlowmeterStack;
  let template: Template;
  beforeAll(() => {
    stack = defineFlowmeterApp(newApp());
    template = Template.fromStack(stack);
  });

  it('parks sync jobs on a dead-letter queue after the shared maxReceiveCount', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: Match.anyValue(),
        maxReceiveCount: queues.sync.maxReceiveCount,
      },
    });
  });

  it('keeps sync jobs invisible for six times the worker timeout; runs the worker with its heap limits', () => {
    const syncQueueId = stack.getLogicalId(stack.sync.queue.node.defaultChild as CfnResource);
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).find(
      (m) => m.Properties.EventSourceArn['Fn::GetAtt'][0] === syncQueueId,
    );
    if (!mapping) throw new Error('no event source mapping from the sync queue');
    const queueId = (mapping.Properties.EventSourceArn as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const functionId = (mapping.Properties.FunctionName as { Ref: string }).Ref;
    const queue = template.toJSON().Resources[queueId];
    const worker = template.toJSON().Resources[functionId];

    expect(worker.Properties.Timeout).toBe(syncWorkerFunction.timeoutSeconds);
    // The heap limits the worker-memory benchmark measured with.
    expect(worker.Properties.Environment.Variables.NODE_OPTIONS).toBe(
      syncWorkerFunction.nodeOptions,
    );
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * worker.Properties.Timeout,
    );
  });

  it('dispatches rollups hourly with EventBridge Scheduler, to a worker fed one job at a time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      Target: Match.objectLike({ Input: JSON.stringify({ mode: 'scheduled' }) }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: queues.rollup.visibilityTimeoutSeconds,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: queues.rollup.maxReceiveCount }),
    });
    // One consumer per work queue: sync, Copilot usage, teams, rollup, notifications.
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', Object.keys(queues).length);
  });

  it('dispatches morning nudges hourly to the notifier, which alone with the dashboard reads the Slack key', () => {
    const dispatcher = stack.getLogicalId(stack.nudges.dispatcher.node.defaultChild as CfnResource);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [dispatcher, 'Arn'] } }),
    });
    const key = stack.getLogicalId(stack.notifications.slackKey.node.defaultChild as CfnResource);
    const readers = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy).includes(`"Ref":"${key}"`))
      .map((policy) => JSON.stringify(policy.Properties.Roles));
    expect(readers).toHaveLength(2);
    for (const fn of [stack.notifications.notifier, stack.dashboard.function])
      expect(
        readers.some((roles) =>
          roles.includes(stack.getLogicalId((fn.role as IRole).node.defaultChild as CfnResource)),
        ),
      ).toBe(true);
  });

  it('fetches Copilot usage one installation per job, two workers at most, queued by new installations and the daily reconciliation', () => {
    expectJobQueue(stack.sync.copilotWorker, queues.copilot, {
      url: stack.sync.copilotQueue.queueUrl,
      variable: 'COPILOT_QUEUE_URL',
      senders: [stack.webhooks.function, stack.sync.reconcile, stack.sync.copilotWorker],
    });
  });

  it('sends email from the configured sender through its own SES configuration set, and nothing else', () => {
    const notifierId = stack.getLogicalId(
      stack.notifications.notifier.node.defaultChild as CfnResource,
    );
    const configurationSetId = stack.getLogicalId(
      stack.notifications.configurationSet.node.defaultChild as CfnResource,
    );
    const notifier = template.toJSON().Resources[notifierId];
    expect(notifier.Properties.Environment.Variables).toMatchObject({
      NOTIFY_FROM: 'flowmeter@example.com',
      SES_CONFIGURATION_SET: { Ref: configurationSetId },
      GITHUB_WEB_URL: 'https://github.com',
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    const ses = statements.filter((s) => JSON.stringify(s.Action).includes('ses:'));
    expect(ses).toHaveLength(1);
    expect(ses[0].Action).toBe('ses:SendEmail');
    const resources = JSON.stringify(ses[0].Resource);
    expect(resources).toContain('identity/flowmeter@example.com');
    expect(resources).toContain('identity/example.com');
    expect(resources).toContain('configuration-set/');
    expect(resources).not.toContain('*');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: notifierId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  /**
   * A worker taking one installation's job at a time, two at most, from a
   * queue as its definition says, and the functions that send to it told the
   * queue's URL.
   */
  const expectJobQueue = (
    worker: { node: { defaultChild?: unknown } },
    queue: { visibilityTimeoutSeconds: number; maxReceiveCount: number },
    sent: { url: string; variable: string; senders: { node: { defaultChild?: unknown } }[] },
  ) => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: stack.getLogicalId(worker.node.defaultChild as CfnResource) },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: queue.visibilityTimeoutSeconds,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: queue.maxReceiveCount }),
    });
    for (const fn of sent.senders) {
      const id = stack.getLogicalId(fn.node.defaultChild as CfnResource);
      const variables = template.toJSON().Resources[id].Properties.Environment.Variables;
      expect(variables[sent.variable], id).toEqual(stack.resolve(sent.url));
    }
  };

  /** The DynamoDB statements of a function's role. */
  const tableStatements = (role: IRole | undefined) => {
    const roleId = stack.getLogicalId(role?.node.defaultChild as CfnResource);
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:')) as {
      Action: string | string[];
      Resource: unknown;
      Condition?: Record<string, Record<string, unknown>>;
    }[];
  };

  it("reads teams one installation per job, two readers at most, queued by new installations and the daily reconciliation, touching only installations' items", () => {
    expectJobQueue(stack.sync.teamsReader, queues.teams, {
      url: stack.sync.teamsQueue.queueUrl,
      variable: 'TEAMS_QUEUE_URL',
      senders: [stack.webhooks.function, stack.sync.reconcile, stack.sync.teamsReader],
    });
    const dynamodb = tableStatements(stack.sync.teamsReader.role);
    expect(dynamodb).toHaveLength(1);
    expect(dynamodb[0]?.Action).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(dynamodb[0]?.Condition?.['ForAllValues:StringLike']).toEqual({
      'dynamodb:LeadingKeys': ['INST#*'],
    });
  });

  it("resolves saved calendars' holidays one job at a time, two at most, queued by the dashboard, writing only a calendar's dates and dirty-week marks", () => {
    expectJobQueue(stack.holidays.resolver, queues.holidays, {
      url: stack.holidays.queue.queueUrl,
      variable: 'HOLIDAYS_QUEUE_URL',
      senders: [stack.dashboard.function],
    });
    const dynamodb = tableStatements(stack.holidays.resolver.role);
    expect(dynamodb.map((statement) => statement.Action)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    for (const statement of dynamodb) {
      expect(statement.Condition?.['ForAllValues:StringLike']).toEqual({
        'dynamodb:LeadingKeys': ['INST#*'],
      });
      expect(statement.Condition?.['ForAllValues:StringNotLike']).toEqual({
        'dynamodb:LeadingKeys': ['INST#*#*'],
      });
    }
    expect(dynamodb[1]?.Condition?.['ForAllValues:StringEquals']).toEqual({
      'dynamodb:Attributes': [
        table.partitionKey,
        table.sortKey,
        'workingCalendar',
        'settingsVersion',
        'accountLogin',
        'deletedAt',
        'installationId',
        'week',
        'markedAt',
      ],
    });
  });

  it('lets the public unsubscribe function read and update recipients only: no scan, query, delete or batch write', () => {
    const dynamodb = tableStatements(stack.notifications.unsubscribe.role);
    expect(dynamodb).toHaveLength(1);
    expect(dynamodb[0]?.Action).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(dynamodb[0]?.Condition?.['ForAllValues:StringEquals']).toEqual({
      'dynamodb:Attributes': [table.partitionKey, table.sortKey, 'recipients', 'settingsVersion'],
    });
    expect(dynamodb[0]?.Condition?.['ForAllValues:StringLike']).toEqual({
      'dynamodb:LeadingKeys': ['INST#*'],
    });
  });

  it('lets the public dashboard function touch its sessions and read tenants, changing only settings and week marks of an installation: no scan, batch write or tenant delete', () => {
    const dynamodb = tableStatements(stack.dashboard.function.role);
    const like = (statement: (typeof dynamodb)[number]) =>
      JSON.stringify(statement.Condition?.['ForAllValues:StringLike']);
    expect(dynamodb).toHaveLength(3);
    const [sessions, reads, updates] = dynamodb;
    expect(like(sessions as never)).toContain('SESSION#*');
    expect(sessions?.Action).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    ]);
    expect(like(reads as never)).toContain('INST#*');
    expect(reads?.Action).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    // Updates only on an installation's own partition, only of its settings and week marks.
    expect(updates?.Action).toBe('dynamodb:UpdateItem');
    expect(updates?.Condition?.['ForAllValues:StringNotLike']).toEqual({
      'dynamodb:LeadingKeys': ['INST#*#*'],
    });
    expect(updates?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes']).toEqual(
      expect.arrayContaining(['recipients', 'settingsVersion', 'timeZone', 'markedAt']),
    );
    expect(
      updates?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'],
    ).not.toContain('status');
    for (const statement of dynamodb)
      expect(JSON.stringify(statement.Action)).not.toMatch(/Scan|Batch|\*/);
  });

  it('serves the unsubscribe link publicly (the token is the credential), GET to ask and POST to act', () => {
    for (const method of ['GET', 'POST']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${method} /unsubscribe/{installationId}/{token}`,
        AuthorizationType: 'NONE',
      });
    }
  });

  it('alarms on every dead-letter and failure queue, to the encrypted alarm topic', () => {
    const topicId = stack.getLogicalId(stack.monitoring.topic.node.defaultChild as CfnResource);
    const failureQueues = [
      stack.sync.deadLetterQueue,
      stack.rollup.deadLetterQueue,
      stack.notifications.deadLetterQueue,
      stack.holidays.deadLetterQueue,
      stack.sync.scheduleFailures,
      stack.rollup.scheduleFailures,
    ];
    for (const queue of failureQueues) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: {
              'Fn::GetAtt': [
                stack.getLogicalId(queue.node.defaultChild as CfnResource),
                'QueueName',
              ],
            },
          },
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: topicId }],
      });
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('alarms on old work, function errors and throttles, API 4xx/5xx spikes and SES bounces', () => {
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 3600 },
      Object.keys(queues).length,
    );
    const functions = Object.keys(template.findResources('AWS::Lambda::Function')).length;
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'Errors' },
      functions,
    );
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'Throttles' },
      functions,
    );
    for (const metric of ['5xx', '4xx'])
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: metric,
      });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.BounceRate',
      Threshold: 0.05,
    });
    // The dashboard graphs the sync's own metrics, under the names the worker emits.
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of ['PullRequestsSynced', 'Chunks', 'RateLimitWaits', 'GitHubPoints'])
      expect(body).toContain(metric);
    expect(body).toContain(serviceName(syncWorkerFunction));
  });

  it("alarms on a repository still short after a re-sync, the reconciliation's daily figure", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Flowmeter',
      MetricName: 'RepositoriesStillShort',
      Dimensions: [{ Name: 'service', Value: serviceName(reconcileFunction) }],
      Statistic: 'Maximum',
      Period: 86_400,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.anyValue() }],
    });
  });

  it('emails alarms to the address in CDK context, and to nobody without one', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const app = new App({
      context: { 'aws:cdk:bundling-stacks': [], 'flowmeter:alarmEmail': 'oncall@team.example' },
    });
    Template.fromStack(defineFlowmeterApp(app)).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@team.example',
    });
  });

  it('grants no wildcard action, and a wildcard resource only to X-Ray, which takes no other', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    ) as { Action: string | string[]; Resource: unknown }[];
    const list = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) {
      expect(list(statement.Action).filter((action) => action.includes('*'))).toEqual([]);
      if (list(statement.Resource).includes('*'))
        expect(list(statement.Action).sort()).toEqual([
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ]);
    }
  });

  it('takes the sender address from CDK context', () => {
    const app = new App({
      context: { 'aws:cdk:bundling-stacks': [], 'flowmeter:senderEmail': 'digest@team.example' },
    });
    const custom = Template.fromStack(defineFlowmeterApp(app));
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NOTIFY_FROM: 'digest@team.example' }) },
    });
  });

  it('parks scheduled events that fail on a queue, from the schedule and from the function', () => {
    const dlqOf = (construct: { scheduleFailures: Queue }) => ({
      'Fn::GetAtt': [
        stack.getLogicalId(construct.scheduleFailures.node.defaultChild as CfnResource),
        'Arn',
      ],
    });
    for (const owner of [stack.sync, stack.rollup]) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: Match.objectLike({ DeadLetterConfig: { Arn: dlqOf(owner) } }),
      });
    }
    for (const fn of [stack.sync.reconcile, stack.rollup.dispatcher]) {
      const owner = fn === stack.sync.reconcile ? stack.sync : stack.rollup;
      expect(
        template.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as CfnResource)]
          .Properties.DeadLetterConfig,
      ).toEqual({ TargetArn: dlqOf(owner) });
    }
  });

  it('reconciles every repository on a daily schedule', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 day)',
      Target: Match.objectLike({
        Arn: {
          'Fn::GetAtt': [
            stack.getLogicalId(stack.sync.reconcile.node.defaultChild as CfnResource),
            'Arn',
          ],
        },
      }),
    });
  });

  it('caps the sync workers running at once, keeps concurrency for the webhook, and gives its route its own rate', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: {
        Ref: stack.getLogicalId(stack.sync.worker.node.defaultChild as CfnResource),
      },
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    const webhookId = stack.getLogicalId(stack.webhooks.function.node.defaultChild as CfnResource);
    expect(template.toJSON().Resources[webhookId].Properties.ReservedConcurrentExecutions).toBe(20);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      RouteSettings: {
        'POST /webhooks/github': { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      },
    });

    const custom = Template.fromStack(
      defineFlowmeterApp(
        new App({
          context: {
            'aws:cdk:bundling-stacks': [],
            'flowmeter:syncConcurrency': '25',
            'flowmeter:webhookReservedConcurrency': '0',
          },
        }),
      ),
    );
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 25 },
    });
    const reserved = Object.values(custom.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.ReservedConcurrentExecutions !== undefined,
    );
    expect(reserved).toEqual([]);
  });

  it('feeds the sync worker one job at a time and honours partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('encrypts every queue and refuses plain-HTTP access to them', () => {
    const resources = template.toJSON().Resources;
    const queueCount = Object.values(resources).filter(
      (r) => (r as { Type: string }).Type === 'AWS::SQS::Queue',
    ).length;

    // Each queue with its dead-letter queue, and one queue per schedule for failed events.
    const schedules = Object.keys(template.findResources('AWS::Scheduler::Schedule')).length;
    expect(schedules).toBe(4);
    expect(queueCount).toBe(Object.keys(queues).length * 2 + schedules);
    template.resourcePropertiesCountIs(
      'AWS::SQS::Queue',
      { SqsManagedSseEnabled: true },
      queueCount,
    );
    template.resourceCountIs('AWS::SQS::QueuePolicy', queueCount);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('builds the table from the shared definition, encrypted, with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: table.indexes.map((index) =>
        Match.objectLike({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ),
      TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('keeps the production table on stack deletion; lets another stage tear it down', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const dev = defineFlowmeterApp(
      new App({ context: { 'aws:cdk:bundling-stacks': [], 'flowmeter:stage': 'dev' } }),
    );
    expect(dev.stackName).toBe('Flowmeter-dev');
    const devTemplate = Template.fromStack(dev);
    devTemplate.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    devTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })],
    });
  });

  it('keeps every log group for the configured retention, a month by default', () => {
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThan(8);
    for (const group of logGroups) expect(group.Properties.RetentionInDays).toBe(30);
    const custom = Template.fromStack(
      defineFlowmeterApp(
        new App({ context: { 'aws:cdk:bundling-stacks': [], 'flowmeter:logRetentionDays': 365 } }),
      ),
    );
    for (const group of Object.values(custom.findResources('AWS::Logs::LogGroup')))
      expect(group.Properties.RetentionInDays).toBe(365);
  });

  it('configures GitHub, the backfill window and the schedules from CDK context', () => {
    const custom = Template.fromStack(
      defineFlowmeterApp(
        new App({
          context: {
            'aws:cdk:bundling-stacks': [],
            'flowmeter:githubApiUrl': 'https://ghe.example/api/v3',
            'flowmeter:daysBack': 30,
            'flowmeter:reconcileSchedule': 'rate(12 hours)',
            'flowmeter:rollupSchedule': 'cron(30 * * * ? *)',
          },
        }),
      ),
    );
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          GITHUB_API_URL: 'https://ghe.example/api/v3',
          SYNC_DAYS_BACK: '30',
        }),
      },
    });
    custom.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(12 hours)',
    });
    custom.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 * * * ? *)',
    });
  });

  it('routes POST /webhooks/github to the webhook function, unauthenticated at the gateway', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /webhooks/github',
      AuthorizationType: 'NONE',
    });
  });

  it('puts the status API behind IAM authorisation', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /api/{proxy+}',
      AuthorizationType: 'AWS_IAM',
    });
  });

  it('runs every function on Node.js 24, arm64, traced', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));

    expect(functions.length).toBeGreaterThanOrEqual(2);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives the webhook function the secret ARN, not the secret', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          WEBHOOK_SECRET_ARN: { Ref: Match.anyValue() },
          SYNC_QUEUE_URL: Match.anyValue(),
          TABLE_NAME: Match.anyValue(),
        }),
      },
    });
    const variables = Object.values(template.findResources('AWS::Lambda::Function')).flatMap((fn) =>
      Object.keys(fn.Properties.Environment?.Variables ?? {}),
    );
    expect(variables).not.toContain('GITHUB_WEBHOOK_SECRET');
  });

  it('logs API access and throttles the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue() },
    });
  });
});

describe('cdk-nag AwsSolutions and Serverless checks', () => {
  it('pass with every finding acknowledged in code', () => {
    const app = newApp();
    defineFlowmeterApp(app);

    expect(() => app.synth()).not.toThrow();
  });

  it('fail synth on a finding nobody acknowledged', () => {
    const app = newApp();
    const stack = defineFlowmeterApp(app);
    new Queue(stack, 'CarelessQueue');

    // Both packs are in force: AwsSolutions and Serverless.
    expect(() => app.synth()).toThrow(
      /AwsSolutions-SQS3[\s\S]*Serverless-SQSRedrivePolicy|Serverless-SQSRedrivePolicy[\s\S]*AwsSolutions-SQS3/,
    );
  });
});
