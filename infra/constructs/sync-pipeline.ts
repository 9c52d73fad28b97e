import { Duration, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queues, syncWorker } from '#shared/resources.ts';
import { failureQueue, queueWithDeadLetter } from './queue-with-dead-letter.ts';
import { TeamFunction } from './team-function.ts';

export interface SyncPipelineProps {
  table: ITableV2;
  /** GitHub's REST/GraphQL base URL (`flowmeter:githubApiUrl`, where its default lives). */
  githubApiUrl: string;
  /** Where the worker announces finished syncs. */
  notifications: IQueue;
  /** First sync's backfill window in days; 0 = full history (`flowmeter:daysBack`). */
  daysBack: number;
  /** When every active repository gets an incremental sync (`flowmeter:reconcileSchedule`). */
  reconcileSchedule: string;
}

/**
 * The sync job queue, its dead-letter queue, and the worker that consumes it
 * one job at a time, reporting partial batch failures. The worker reads the
 * GitHub App's id and key from a Secrets Manager secret the operator fills.
 */
export class SyncPipeline extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly worker: TeamFunction;
  public readonly appSecret: Secret;
  public readonly reconcile: TeamFunction;
  public readonly scheduleFailures: Queue;

  constructor(scope: Construct, id: string, props: SyncPipelineProps) {
    super(scope, id);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetter(
      this,
      queues.sync,
    ));

    this.appSecret = new Secret(this, 'GitHubAppSecret', {
      description:
        'GitHub App credentials as {"appId": 123, "privateKey": "-----BEGIN RSA PRIVATE KEY-----..."}',
      generateSecretString: {
        secretStringTemplate: '{"appId": 0}',
        generateStringKey: 'privateKey',
      },
    });
    Validations.of(this.appSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A GitHub App private key is rotated by generating a new key in the App settings, by hand.',
    });
    this.worker = new TeamFunction(this, 'Worker', {
      functionDir: 'sync-worker',
      description: 'Syncs one repository a chunk at a time from its checkpoint',
      timeout: Duration.seconds(syncWorker.timeoutSeconds),
      memorySize: 1024,
    })
      .bindTable(props.table, 'readWrite')
      .bindQueueSender('SYNC_QUEUE_URL', this.queue)
      .bindQueueSender('NOTIFY_QUEUE_URL', props.notifications);
    this.worker.addEnvironment('GITHUB_APP_SECRET_ARN', this.appSecret.secretArn);
    this.worker.addEnvironment('GITHUB_API_URL', props.githubApiUrl);
    this.worker.addEnvironment('SYNC_DAYS_BACK', String(props.daysBack));
    this.worker.addEnvironment('NODE_OPTIONS', syncWorker.nodeOptions);
    this.appSecret.grantRead(this.worker);
    this.worker.consume(this.queue, syncWorker.batchSize);

    // A reconciliation the rule could not deliver, or that kept failing, lands here.
    this.scheduleFailures = failureQueue(this, 'ScheduleFailures', 'the failed reconciliations');
    this.reconcile = new TeamFunction(this, 'Reconcile', {
      functionDir: 'reconcile',
      description: 'Queues an incremental sync of every active repository',
      timeout: Duration.minutes(5),
      deadLetterQueue: this.scheduleFailures,
    })
      .bindTable(props.table, 'read')
      .bindQueueSender('SYNC_QUEUE_URL', this.queue);
    new Rule(this, 'ReconcileSchedule', {
      description: 'Catches webhooks GitHub never delivered',
      schedule: Schedule.expression(props.reconcileSchedule),
      targets: [new LambdaFunction(this.reconcile, { deadLetterQueue: this.scheduleFailures })],
    });
  }
}
