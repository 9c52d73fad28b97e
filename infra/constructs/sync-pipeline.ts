import { Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { copilotUsageFunction } from '#functions/copilot-usage/function.ts';
import { reconcileFunction } from '#functions/reconcile/function.ts';
import { syncWorkerFunction } from '#functions/sync-worker/function.ts';
import { teamsFunction } from '#functions/teams/function.ts';
import { queues } from '../queues.ts';
import { FlowmeterFunction } from './flowmeter-function.ts';
import { failureQueue, queueWithDeadLetter } from './queue-with-dead-letter.ts';

export interface SyncPipelineProps {
  table: ITableV2;
  /** GitHub's REST/GraphQL base URL (`flowmeter:githubApiUrl`, where its default lives). */
  githubApiUrl: string;
  /** Where the worker announces finished syncs. */
  notifications: IQueue;
  /** Where the worker asks for a first backfill's finished week, once its recent history is in. */
  rollups: IQueue;
  /** Where the daily reconciliation queues the holidays of calendars still without their dates. */
  holidays: IQueue;
  /** First sync's backfill window in days; 0 = full history (`flowmeter:daysBack`). */
  daysBack: number;
  /** When every active repository gets an incremental sync (`flowmeter:reconcileSchedule`). */
  reconcileSchedule: string;
  /** Sync workers running at once (`flowmeter:syncConcurrency`). */
  concurrency: number;
}

/**
 * What reads GitHub on Flowmeter's own initiative. The sync job queue, its
 * dead-letter queue, and the worker that consumes it one job at a time,
 * reporting partial batch failures; the Copilot usage queue and its worker
 * and the teams queue and its reader (one installation per job each); the
 * reconciliation that queues an incremental sync of every repository, a
 * Copilot usage fetch and a teams reading of every organisation on a
 * schedule. The workers read the GitHub App's id and key from a secret
 * the operator fills.
 */
export class SyncPipeline extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly worker: FlowmeterFunction<typeof syncWorkerFunction>;
  public readonly copilotQueue: Queue;
  public readonly copilotDeadLetterQueue: Queue;
  public readonly copilotWorker: FlowmeterFunction<typeof copilotUsageFunction>;
  public readonly teamsQueue: Queue;
  public readonly teamsDeadLetterQueue: Queue;
  public readonly teamsReader: FlowmeterFunction<typeof teamsFunction>;
  public readonly appSecret: Secret;
  public readonly reconcile: FlowmeterFunction<typeof reconcileFunction>;
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
    this.worker = new FlowmeterFunction(this, 'Worker', syncWorkerFunction, {
      table: props.table,
      queues: { sync: this.queue, notify: props.notifications, rollup: props.rollups },
      maxConcurrency: props.concurrency,
      environment: {
        GITHUB_APP_SECRET_ARN: this.appSecret.secretArn,
        GITHUB_API_URL: props.githubApiUrl,
        SYNC_DAYS_BACK: String(props.daysBack),
      },
    });
    this.appSecret.grantRead(this.worker);

    // The Copilot usage queue and worker, in a scope of their own beside the sync's.
    const copilot = new Construct(this, 'Copilot');
    ({ queue: this.copilotQueue, deadLetterQueue: this.copilotDeadLetterQueue } =
      queueWithDeadLetter(copilot, queues.copilot));
    this.copilotWorker = new FlowmeterFunction(copilot, 'Worker', copilotUsageFunction, {
      table: props.table,
      queues: { copilot: this.copilotQueue },
      // A job is a few requests a day per organisation; two at a time keep up with hundreds.
      maxConcurrency: 2,
      environment: {
        GITHUB_APP_SECRET_ARN: this.appSecret.secretArn,
        GITHUB_API_URL: props.githubApiUrl,
      },
    });
    this.appSecret.grantRead(this.copilotWorker);

    // The teams queue and reader, likewise.
    const teams = new Construct(this, 'Teams');
    ({ queue: this.teamsQueue, deadLetterQueue: this.teamsDeadLetterQueue } = queueWithDeadLetter(
      teams,
      queues.teams,
    ));
    this.teamsReader = new FlowmeterFunction(teams, 'Reader', teamsFunction, {
      table: props.table,
      queues: { teams: this.teamsQueue },
      // A reading is a request per 100 teams a day per organisation; two at a time keep up with hundreds.
      maxConcurrency: 2,
      environment: {
        GITHUB_APP_SECRET_ARN: this.appSecret.secretArn,
        GITHUB_API_URL: props.githubApiUrl,
      },
    });
    this.appSecret.grantRead(this.teamsReader);

    // A reconciliation the scheduler could not deliver, or that kept failing, lands here.
    this.scheduleFailures = failureQueue(this, 'ScheduleFailures', 'the failed reconciliations');
    this.reconcile = new FlowmeterFunction(this, 'Reconcile', reconcileFunction, {
      table: props.table,
      queues: {
        sync: this.queue,
        copilot: this.copilotQueue,
        teams: this.teamsQueue,
        holidays: props.holidays,
      },
      schedule: { expression: props.reconcileSchedule, failures: this.scheduleFailures },
      environment: {
        GITHUB_APP_SECRET_ARN: this.appSecret.secretArn,
        GITHUB_API_URL: props.githubApiUrl,
      },
    });
    this.appSecret.grantRead(this.reconcile);
  }
}
