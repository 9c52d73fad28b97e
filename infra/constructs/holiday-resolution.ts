import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { holidaysFunction } from '#functions/holidays/function.ts';
import { queues } from '../queues.ts';
import { FlowmeterFunction } from './flowmeter-function.ts';
import { queueWithDeadLetter } from './queue-with-dead-letter.ts';

export interface HolidayResolutionProps {
  table: ITableV2;
}

/**
 * The holidays queue, its dead-letter queue and the function that resolves
 * a saved calendar's public holidays to dates: the only bundle that holds
 * the holiday data set (public-holidays.ts says why it has one of its own).
 */
export class HolidayResolution extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly resolver: FlowmeterFunction<typeof holidaysFunction>;

  constructor(scope: Construct, id: string, props: HolidayResolutionProps) {
    super(scope, id);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetter(
      this,
      queues.holidays,
    ));
    this.resolver = new FlowmeterFunction(this, 'Resolver', holidaysFunction, {
      table: props.table,
      queues: { holidays: this.queue },
      // Calendars are saved by hand, a few a day, and the daily reconciliation resends the few still
      // without dates: two at a time keep a burst (the first day after deploying) from crowding the table.
      maxConcurrency: 2,
    });
  }
}
