import { type CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queues, rollupWorker } from '#shared/resources.ts';
import { failureQueue, queueWithDeadLetter } from './queue-with-dead-letter.ts';
import { TeamFunction } from './team-function.ts';

export interface WeeklyRollupProps {
  table: ITableV2;
  /** Where the worker asks for weekly digests. */
  notifications: IQueue;
  /**
   * When the dispatcher runs. Each run rolls up the installations whose local
   * time is Monday 06:00 and recomputes late data for the rest, so it must
   * fire every hour for every time zone to get its Monday morning
   * (`flowmeter:rollupSchedule`, where its default lives).
   */
  dispatchSchedule: string;
}

/**
 * The weekly rollup: an EventBridge Scheduler schedule starts the dispatcher,
 * which queues one rollup job per due installation; the worker recomputes
 * the weeks and asks the notifier for the digest.
 */
export class WeeklyRollup extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly dispatcher: TeamFunction;
  public readonly worker: TeamFunction;
  public readonly schedule: Schedule;
  public readonly scheduleFailures: Queue;

  constructor(scope: Construct, id: string, props: WeeklyRollupProps) {
    super(scope, id);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetter(
      this,
      queues.rollup,
    ));
    // A dispatch the scheduler could not deliver, or that kept failing, lands here.
    this.scheduleFailures = failureQueue(this, 'ScheduleFailures', 'the failed rollup dispatches');
    this.dispatcher = new TeamFunction(this, 'Dispatcher', {
      functionDir: 'rollup-dispatcher',
      description: 'Queues weekly rollups of the installations due now, and of late data',
      timeout: Duration.minutes(1),
      deadLetterQueue: this.scheduleFailures,
    })
      .bindTable(props.table, 'read')
      .bindQueueSender('ROLLUP_QUEUE_URL', this.queue);
    this.worker = new TeamFunction(this, 'Worker', {
      functionDir: 'rollup-worker',
      description: "Recomputes an installation's weekly metrics",
      timeout: Duration.seconds(rollupWorker.timeoutSeconds),
      memorySize: 1024,
    })
      .bindTable(props.table, 'readWrite')
      .bindQueueSender('NOTIFY_QUEUE_URL', props.notifications);
    this.worker.consume(this.queue, rollupWorker.batchSize);
    this.schedule = new Schedule(this, 'DispatchSchedule', {
      description:
        'Weekly rollups at Monday 06:00 in each installation time zone; late data hourly',
      schedule: ScheduleExpression.expression(props.dispatchSchedule),
      target: new LambdaInvoke(this.dispatcher, {
        input: ScheduleTargetInput.fromObject({ mode: 'scheduled' }),
        deadLetterQueue: this.scheduleFailures,
      }),
    });
    // The scheduler's role (made by LambdaInvoke, at stack level) may invoke the dispatcher's versions.
    const dispatcherId = Stack.of(this).getLogicalId(
      this.dispatcher.node.defaultChild as CfnResource,
    );
    Validations.of(Stack.of(this)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${dispatcherId}.Arn>:*]`,
      reason:
        "EventBridge Scheduler's target grant covers the dispatcher and its versions (`<arn>:*`), one function only.",
    });
  }
}
