import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { retentionFunction } from '#functions/retention/function.ts';
import { FlowmeterFunction } from './flowmeter-function.ts';
import { failureQueue } from './queue-with-dead-letter.ts';

export interface RetentionProps {
  table: ITableV2;
  /** Days data is kept after an uninstall or a removal (`flowmeter:retentionDays`). */
  retentionDays: number;
  /** When the policy is applied (`flowmeter:retentionSchedule`). */
  schedule: string;
}

/** The retention policy on a schedule: uninstalled installations' and removed repositories' data deleted. */
export class Retention extends Construct {
  public readonly function: FlowmeterFunction<typeof retentionFunction>;
  public readonly scheduleFailures: Queue;

  constructor(scope: Construct, id: string, props: RetentionProps) {
    super(scope, id);
    // A run the scheduler could not deliver, or that kept failing, lands here.
    this.scheduleFailures = failureQueue(this, 'ScheduleFailures', 'the failed retention runs');
    this.function = new FlowmeterFunction(this, 'Function', retentionFunction, {
      table: props.table,
      schedule: { expression: props.schedule, failures: this.scheduleFailures },
      environment: { RETENTION_DAYS: String(props.retentionDays) },
    });
  }
}
