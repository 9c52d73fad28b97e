import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { rollupDispatcherFunction } from '#functions/rollup-dispatcher/function.ts';
import { rollupWorkerFunction } from '#functions/rollup-worker/function.ts';
import { queues } from '../queues.ts';
import { FlowmeterFunction } from './flowmeter-function.ts';
import { failureQueue, queueWithDeadLetter } from './queue-with-dead-letter.ts';

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
  public readonly dispatcher: FlowmeterFunction<typeof rollupDispatcherFunction>;
  public readonly worker: FlowmeterFunction<typeof rollupWorkerFunction>;
  public readonly scheduleFailures: Queue;

  constructor(scope: Construct, id: string, props: WeeklyRollupProps) {
    super(scope, id);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetter(
      this,
      queues.rollup,
    ));
    // A dispatch the scheduler could not deliver, or that kept failing, lands here.
    this.scheduleFailures = failureQueue(this, 'ScheduleFailures', 'the failed rollup dispatches');
    this.dispatcher = new FlowmeterFunction(this, 'Dispatcher', rollupDispatcherFunction, {
      table: props.table,
      queues: { rollup: this.queue },
      schedule: { expression: props.dispatchSchedule, failures: this.scheduleFailures },
    });
    this.worker = new FlowmeterFunction(this, 'Worker', rollupWorkerFunction, {
      table: props.table,
      queues: { rollup: this.queue, notify: props.notifications },
    });
  }
}
