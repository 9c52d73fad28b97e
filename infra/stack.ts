import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataStore } from './constructs/data-store.ts';
import { Notifications } from './constructs/notifications.ts';
import { PublicApi } from './constructs/public-api.ts';
import { StatusApi } from './constructs/status-api.ts';
import { SyncPipeline } from './constructs/sync-pipeline.ts';
import { WebhookIngest } from './constructs/webhook-ingest.ts';
import { WeeklyRollup } from './constructs/weekly-rollup.ts';

export interface FlowmeterStackProps extends StackProps {
  /** Address emails come from (context `flowmeter:senderEmail`); verify it, or its domain, in SES. */
  senderEmail: string;
  /** Where PR links in emails point (context `flowmeter:githubWebUrl`). */
  githubWebUrl?: string;
}

/** Flowmeter in one stack: one construct per capability. */
export class FlowmeterStack extends Stack {
  public readonly data: DataStore;
  public readonly http: PublicApi;
  public readonly notifications: Notifications;
  public readonly sync: SyncPipeline;
  public readonly webhooks: WebhookIngest;
  public readonly status: StatusApi;
  public readonly rollup: WeeklyRollup;

  constructor(scope: Construct, id: string, props: FlowmeterStackProps) {
    super(scope, id, props);
    this.data = new DataStore(this, 'DataStore');
    this.http = new PublicApi(this, 'PublicApi');
    this.notifications = new Notifications(this, 'Notifications', {
      table: this.data.table,
      api: this.http.api,
      senderEmail: props.senderEmail,
      githubWebUrl: props.githubWebUrl,
    });
    this.sync = new SyncPipeline(this, 'SyncPipeline', {
      table: this.data.table,
      notifications: this.notifications.queue,
    });
    this.rollup = new WeeklyRollup(this, 'WeeklyRollup', {
      table: this.data.table,
      notifications: this.notifications.queue,
    });
    this.webhooks = new WebhookIngest(this, 'WebhookIngest', {
      api: this.http.api,
      table: this.data.table,
      syncQueue: this.sync.queue,
    });
    this.status = new StatusApi(this, 'StatusApi', {
      api: this.http.api,
      table: this.data.table,
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
    new CfnOutput(this, 'TableName', {
      value: this.data.table.tableName,
      description: 'npm run settings -- --table <this> ... changes recipients and time zones',
    });
    new CfnOutput(this, 'SesConfigurationSet', {
      value: this.notifications.configurationSet.configurationSetName,
    });
    new CfnOutput(this, 'SyncDeadLetterQueueUrl', { value: this.sync.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'RollupDispatcherName', {
      value: this.rollup.dispatcher.functionName,
      description: 'Invoke with {"mode": "now"} to roll up every installation at once',
    });
    new CfnOutput(this, 'GitHubAppSecretArn', {
      value: this.sync.appSecret.secretArn,
      description: 'Put {"appId": ..., "privateKey": "..."} of the GitHub App here',
    });
  }
}
