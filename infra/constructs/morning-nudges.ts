import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { nudgeDispatcherFunction } from '#functions/nudge-dispatcher/function.ts';
import { FlowmeterFunction } from './flowmeter-function.ts';
import { failureQueue } from './queue-with-dead-letter.ts';

export interface MorningNudgesProps {
  table: ITableV2;
  /** Where each team's nudge is queued; the notifier sends it. */
  notifications: IQueue;
  /** When the dispatcher runs; hourly, so each team gets its hour (`flowmeter:nudgeSchedule`). */
  schedule: string;
}

/**
 * The morning nudges: an EventBridge Scheduler schedule starts the
 * dispatcher, which queues one message per team whose hour it is and which
 * has something waiting; the notifier (Notifications) sends it by email and
 * to the team's Slack channel.
 */
export class MorningNudges extends Construct {
  public readonly dispatcher: FlowmeterFunction<typeof nudgeDispatcherFunction>;
  public readonly scheduleFailures: Queue;

  constructor(scope: Construct, id: string, props: MorningNudgesProps) {
    super(scope, id);
    // A run the scheduler could not deliver, or that kept failing, lands here.
    this.scheduleFailures = failureQueue(this, 'ScheduleFailures', 'the failed nudge dispatches');
    this.dispatcher = new FlowmeterFunction(this, 'Dispatcher', nudgeDispatcherFunction, {
      table: props.table,
      queues: { notify: props.notifications },
      schedule: { expression: props.schedule, failures: this.scheduleFailures },
    });
  }
}
