import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineFlowmeterApp } from '#infra/define-app.ts';
import { queues, syncWorker, table } from '#shared/resources.ts';

/** An app like `cdk synth` builds, minus esbuild bundling (not what these tests check). */
function newApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

describe('FlowmeterStack', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(defineFlowmeterApp(newApp()));
  });

  it('parks sync jobs on a dead-letter queue after the shared maxReceiveCount', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: Match.anyValue(),
        maxReceiveCount: queues.sync.maxReceiveCount,
      },
    });
  });

  it('keeps sync jobs invisible for at least six times the deployed worker timeout', () => {
    const syncQueues = template.findResources('AWS::SQS::Queue', {
      Properties: { RedrivePolicy: Match.anyValue() },
    });
    const [visibility] = Object.values(syncQueues).map(
      (queue) => queue.Properties.VisibilityTimeout as number,
    );
    const [worker] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: Match.objectLike({ GITHUB_APP_SECRET_ARN: Match.anyValue() }) },
        },
      }),
    );

    expect(worker?.Properties.Timeout).toBe(syncWorker.timeoutSeconds);
    expect(visibility).toBeGreaterThanOrEqual(6 * (worker?.Properties.Timeout as number));
  });

  it('reconciles every repository on a daily schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: [Match.objectLike({ Arn: Match.anyValue() })],
    });
  });

  it('feeds the sync worker one job at a time and honours partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('encrypts both queues and refuses plain-HTTP access to them', () => {
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { SqsManagedSseEnabled: true }, 2);
    template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
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
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: table.indexes[0].name })],
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

describe('cdk-nag AwsSolutions checks', () => {
  it('pass with every finding acknowledged in code', () => {
    const app = newApp();
    defineFlowmeterApp(app);

    expect(() => app.synth()).not.toThrow();
  });

  it('fail synth on a finding nobody acknowledged', () => {
    const app = newApp();
    const stack = defineFlowmeterApp(app);
    new Queue(stack, 'CarelessQueue');

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
