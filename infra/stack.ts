import { Aspects, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { webhookFunction } from '#functions/webhook/function.ts';
import { Dashboard } from './constructs/dashboard.ts';
import { DataStore } from './constructs/data-store.ts';
import { FlowmeterFunction, pascalName } from './constructs/flowmeter-function.ts';
import { HolidayResolution } from './constructs/holiday-resolution.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { MorningNudges } from './constructs/morning-nudges.ts';
import { Notifications } from './constructs/notifications.ts';
import { PublicApi } from './constructs/public-api.ts';
import { Retention } from './constructs/retention.ts';
import { StatusApi } from './constructs/status-api.ts';
import { SyncPipeline } from './constructs/sync-pipeline.ts';
import { WebhookIngest } from './constructs/webhook-ingest.ts';
import { WeeklyRollup } from './constructs/weekly-rollup.ts';
import type { DeployConfig } from './deploy-config.ts';
import { LogRetention } from './log-retention.ts';

export interface FlowmeterStackProps extends StackProps {
  config: DeployConfig;
}

/** Flowmeter in one stack: one construct per capability. */
export class FlowmeterStack extends Stack {
  public readonly data: DataStore;
  public readonly http: PublicApi;
  public readonly notifications: Notifications;
  public readonly sync: SyncPipeline;
  public readonly webhooks: WebhookIngest;
  public readonly status: StatusApi;
  public readonly dashboard: Dashboard;
  public readonly holidays: HolidayResolution;
  public readonly rollup: WeeklyRollup;
  public readonly nudges: MorningNudges;
  public readonly retention: Retention;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: FlowmeterStackProps) {
    super(scope, id, props);
    const { config } = props;
    // Production keeps its history through a mistaken `cdk destroy`; other stages tear down clean.
    const production = config.stage === 'prod';
    Aspects.of(this).add(new LogRetention(config.logRetentionDays));
    this.data = new DataStore(this, 'DataStore', {
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: production,
    });
    // GitHub's deliveries have a lane of their own: a flood on another route cannot use it up.
    this.http = new PublicApi(this, 'PublicApi', {
      routeRateLimits: webhookFunction.trigger.routes.map(({ method, path }) => ({
        routeKey: `${method} ${path}`,
        perSecond: config.webhookRateLimit,
      })),
    });
    this.notifications = new Notifications(this, 'Notifications', {
      table: this.data.table,
      api: this.http.api,
      senderEmail: config.senderEmail,
      configurationSetName: config.sesConfigurationSet,
      githubWebUrl: config.githubWebUrl,
      dashboardUrl: this.http.api.apiEndpoint,
    });
    this.rollup = new WeeklyRollup(this, 'WeeklyRollup', {
      table: this.data.table,
      notifications: this.notifications.queue,
      dispatchSchedule: config.rollupSchedule,
    });
    this.holidays = new HolidayResolution(this, 'HolidayResolution', { table: this.data.table });
    this.sync = new SyncPipeline(this, 'SyncPipeline', {
      table: this.data.table,
      notifications: this.notifications.queue,
      rollups: this.rollup.queue,
      holidays: this.holidays.queue,
      githubApiUrl: config.githubApiUrl,
      daysBack: config.daysBack,
      reconcileSchedule: config.reconcileSchedule,
      concurrency: config.syncConcurrency,
    });
    this.nudges = new MorningNudges(this, 'MorningNudges', {
      table: this.data.table,
      notifications: this.notifications.queue,
      schedule: config.nudgeSchedule,
    });
    this.webhooks = new WebhookIngest(this, 'WebhookIngest', {
      api: this.http.api,
      table: this.data.table,
      syncQueue: this.sync.queue,
      copilotQueue: this.sync.copilotQueue,
      teamsQueue: this.sync.teamsQueue,
      reservedConcurrency: config.webhookReservedConcurrency,
    });
    // The stage's route settings name the webhook route, which must exist first.
    this.http.stage.node.addDependency(...this.webhooks.function.routes);
    this.status = new StatusApi(this, 'StatusApi', {
      api: this.http.api,
      table: this.data.table,
    });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      api: this.http.api,
      table: this.data.table,
      githubApiUrl: config.githubApiUrl,
      githubWebUrl: config.githubWebUrl,
      slackKey: this.notifications.slackKey,
      holidaysQueue: this.holidays.queue,
    });

    this.retention = new Retention(this, 'Retention', {
      table: this.data.table,
      retentionDays: config.retentionDays,
      schedule: config.retentionSchedule,
    });

    const hour = Duration.hours(1);
    this.monitoring = new Monitoring(this, 'Monitoring', {
      alarmEmail: config.alarmEmail,
      api: this.http.api,
      workQueues: [
        { name: 'SyncQueue', queue: this.sync.queue, maxAge: hour },
        { name: 'CopilotQueue', queue: this.sync.copilotQueue, maxAge: hour },
        { name: 'TeamsQueue', queue: this.sync.teamsQueue, maxAge: hour },
        { name: 'RollupQueue', queue: this.rollup.queue, maxAge: hour },
        { name: 'NotificationsQueue', queue: this.notifications.queue, maxAge: hour },
        { name: 'HolidaysQueue', queue: this.holidays.queue, maxAge: hour },
      ],
      failureQueues: [
        { name: 'SyncDeadLetterQueue', queue: this.sync.deadLetterQueue },
        { name: 'CopilotDeadLetterQueue', queue: this.sync.copilotDeadLetterQueue },
        { name: 'TeamsDeadLetterQueue', queue: this.sync.teamsDeadLetterQueue },
        { name: 'RollupDeadLetterQueue', queue: this.rollup.deadLetterQueue },
        { name: 'NotificationsDeadLetterQueue', queue: this.notifications.deadLetterQueue },
        { name: 'HolidaysDeadLetterQueue', queue: this.holidays.deadLetterQueue },
        { name: 'ReconcileFailures', queue: this.sync.scheduleFailures },
        { name: 'RollupDispatchFailures', queue: this.rollup.scheduleFailures },
        { name: 'NudgeDispatchFailures', queue: this.nudges.scheduleFailures },
        { name: 'RetentionFailures', queue: this.retention.scheduleFailures },
      ],
      // Every function of the stack, so one added later is watched too: `sync-worker` → SyncWorker.
      functions: this.node
        .findAll()
        .filter((node): node is FlowmeterFunction => node instanceof FlowmeterFunction)
        .map((fn) => ({ name: pascalName(fn.definition), fn })),
    });

    new CfnOutput(this, 'WebhookUrl', {
      value: this.webhooks.webhookUrl,
      description: 'Webhook URL to enter in the GitHub App settings',
    });
    new CfnOutput(this, 'WebhookSecretArn', {
      value: this.webhooks.webhookSecret.secretArn,
      description: 'Secrets Manager secret whose "current" value is the App webhook secret',
    });
    new CfnOutput(this, 'StatusApiUrl', {
      value: `${this.http.api.apiEndpoint}/api/installations`,
      description: 'Operator status API (IAM-authorised; sign with SigV4)',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: this.dashboard.url,
      description: 'The dashboard; the GitHub App callback URL is <this>/login/callback',
    });
    new CfnOutput(this, 'DashboardSecretArn', {
      value: this.dashboard.secret.secretArn,
      description:
        'npm run app:configure -- --dashboard-secret <this> stores the App OAuth client here',
    });
    new CfnOutput(this, 'TableName', {
      value: this.data.table.tableName,
      description: 'npm run settings -- --table <this> ... changes recipients and time zones',
    });
    new CfnOutput(this, 'SesConfigurationSet', {
      value: this.notifications.configurationSet.configurationSetName,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Alarms are published here; subscribe your on-call address or chat hook',
    });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    // Queue and dead-letter queue URLs, for `npm run dlq:replay -- --from <DLQ> --to <queue>`.
    for (const [name, pipeline] of [
      ['Sync', this.sync],
      [
        'Copilot',
        { queue: this.sync.copilotQueue, deadLetterQueue: this.sync.copilotDeadLetterQueue },
      ],
      ['Teams', { queue: this.sync.teamsQueue, deadLetterQueue: this.sync.teamsDeadLetterQueue }],
      ['Rollup', this.rollup],
      ['Notifications', this.notifications],
      ['Holidays', this.holidays],
    ] as const) {
      new CfnOutput(this, `${name}QueueUrl`, { value: pipeline.queue.queueUrl });
      new CfnOutput(this, `${name}DeadLetterQueueUrl`, {
        value: pipeline.deadLetterQueue.queueUrl,
      });
    }
    new CfnOutput(this, 'RollupDispatcherName', {
      value: this.rollup.dispatcher.functionName,
      description: 'Invoke with {"mode": "now"} to roll up every installation at once',
    });
    new CfnOutput(this, 'NudgeDispatcherName', {
      value: this.nudges.dispatcher.functionName,
      description: 'Invoke with {"mode": "now"} to send every team its morning nudge now',
    });
    new CfnOutput(this, 'SlackKeySecretArn', {
      value: this.notifications.slackKey.secretArn,
      description:
        "The key teams' Slack webhook URLs are sealed under (the notifier and the dashboard read it)",
    });
    new CfnOutput(this, 'GitHubAppSecretArn', {
      value: this.sync.appSecret.secretArn,
      description: 'Put {"appId": ..., "privateKey": "..."} of the GitHub App here',
    });
  }
}
