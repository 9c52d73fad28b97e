import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { reconcileFunction } from '#functions/reconcile/function.ts';
import { syncWorkerFunction } from '#functions/sync-worker/function.ts';
import { serviceName } from '#shared/function-definition.ts';
import { metricsNamespace } from '#shared/powertools/metrics.ts';
import { failureQueue } from './queue-with-dead-letter.ts';

export interface MonitoredQueue {
  name: string;
  queue: IQueue;
  /** Alarm when the oldest message has waited longer than this. */
  maxAge: Duration;
}

export interface MonitoringProps {
  /** Where alarms are emailed (context `flowmeter:alarmEmail`); without it, subscribe to the topic yourself. */
  alarmEmail?: string | undefined;
  api: HttpApi;
  /** Queues that feed workers: alarmed on the age of their oldest message. */
  workQueues: MonitoredQueue[];
  /** Dead-letter and schedule-failure queues: any message there is an alarm. */
  failureQueues: { name: string; queue: IQueue }[];
  functions: { name: string; fn: IFunction }[];
}

const fiveMinutes = Duration.minutes(5);

/**
 * What an operator watches: alarms to one SNS topic (encrypted, TLS only) —
 * anything on a dead-letter queue, work waiting too long, function errors
 * and throttles, webhook 4xx / 5xx spikes, an SES bounce rate AWS would act
 * on, a repository still missing PRs after a re-sync — and a dashboard of the same signals plus the sync's own metrics.
 */
export class Monitoring extends Construct {
  public readonly topic: Topic;
  public readonly dashboard: Dashboard;
  public readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    // A key of our own: CloudWatch cannot publish to a topic under the AWS-managed SNS key.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Flowmeter alarm topic encryption',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Flowmeter alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      // Alarm emails SNS could not deliver are kept, not lost.
      const undelivered = failureQueue(
        this,
        'UndeliveredAlarms',
        'the alarm emails SNS could not deliver',
      );
      this.topic.addSubscription(
        new EmailSubscription(props.alarmEmail, { deadLetterQueue: undelivered }),
      );
    }

    const alarm = (name: string, metric: IMetric, threshold: number, description: string) => {
      const created = new Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(this.topic));
      this.alarms.push(created);
    };

    for (const { name, queue } of props.failureQueues) {
      alarm(
        `${name}Messages`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: fiveMinutes,
          statistic: 'Maximum',
        }),
        1,
        `Messages are parked on ${name}: see docs/operating.md (replay the DLQ once the cause is fixed).`,
      );
    }
    for (const { name, queue, maxAge } of props.workQueues) {
      alarm(
        `${name}OldestMessage`,
        queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' }),
        maxAge.toSeconds(),
        `${name} has a message older than ${maxAge.toHumanString()}: its worker is failing or falling behind.`,
      );
    }
    for (const { name, fn } of props.functions) {
      alarm(
        `${name}Errors`,
        fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        3,
        `${name} failed 3 or more times in 5 minutes: read its log group.`,
      );
      alarm(
        `${name}Throttles`,
        fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        1,
        `${name} was throttled: the account's Lambda concurrency is exhausted.`,
      );
    }
    alarm(
      'Api5xx',
      props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
      5,
      'The HTTP API answered 5xx 5 or more times in 5 minutes: GitHub will show failed deliveries to redeliver.',
    );
    alarm(
      'Api4xx',
      props.api.metricClientError({ period: fiveMinutes, statistic: 'Sum' }),
      100,
      'The HTTP API answered 4xx 100 or more times in 5 minutes: a wrong webhook secret (401), or someone probing.',
    );
    alarm(
      'SesBounceRate',
      new Metric({
        namespace: 'AWS/SES',
        metricName: 'Reputation.BounceRate',
        period: Duration.hours(1),
        statistic: 'Maximum',
      }),
      0.05,
      'SES bounce rate reached 5%: AWS reviews accounts at 10%. Check recipients (npm run settings).',
    );

    const reconcileMetric = (metricName: string, statistic: 'Sum' | 'Maximum') =>
      new Metric({
        namespace: metricsNamespace,
        metricName,
        dimensionsMap: { service: serviceName(reconcileFunction) },
        statistic,
        period: Duration.days(1),
      });
    alarm(
      'RepositoriesStillShort',
      reconcileMetric('RepositoriesStillShort', 'Maximum'),
      1,
      'A repository still lacks pull requests GitHub counts after its window was read again: see docs/operating.md (a repository still short).',
    );

    const syncMetric = (metricName: string) =>
      new Metric({
        namespace: metricsNamespace,
        metricName,
        dimensionsMap: { service: serviceName(syncWorkerFunction) },
        statistic: 'Sum',
        period: fiveMinutes,
      });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
    });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Sync: PRs and deployments synced, chunks, rate-limit waits',
        left: [
          syncMetric('PullRequestsSynced'),
          syncMetric('DeploymentsSynced'),
          syncMetric('Chunks'),
        ],
        right: [syncMetric('RateLimitWaits')],
      }),
      new GraphWidget({ title: 'Sync: GitHub points spent', left: [syncMetric('GitHubPoints')] }),
      new GraphWidget({
        title: 'Failed webhook deliveries GitHub was asked to redeliver',
        left: [reconcileMetric('RedeliveriesRequested', 'Sum')],
      }),
      new GraphWidget({
        title: 'Completeness: repositories read again, and still short after that',
        left: [
          reconcileMetric('RepositoriesResynced', 'Sum'),
          reconcileMetric('RepositoriesStillShort', 'Maximum'),
        ],
      }),
      new GraphWidget({
        title: 'Work queues: oldest message (s)',
        left: props.workQueues.map(({ queue }) =>
          queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes }),
        ),
      }),
      new GraphWidget({
        title: 'Dead-letter and failure queues: messages',
        left: props.failureQueues.map(({ queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes }),
        ),
      }),
      new GraphWidget({
        title: 'Function errors',
        left: props.functions.map(({ fn }) => fn.metricErrors({ period: fiveMinutes })),
      }),
      new GraphWidget({
        title: 'HTTP API: requests, 4xx, 5xx',
        left: [props.api.metricCount({ period: fiveMinutes })],
        right: [
          props.api.metricClientError({ period: fiveMinutes }),
          props.api.metricServerError({ period: fiveMinutes }),
        ],
      }),
    );
  }
}
