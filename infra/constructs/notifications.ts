import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queues } from '#shared/resources.ts';
import { queueWithDeadLetter } from './queue-with-dead-letter.ts';

/**
 * The notifications queue: "sync complete" events now, weekly digests with
 * the rollup. The notifier that turns them into SES email is issue #5; until
 * it lands, events wait here (four days) and then on the dead-letter queue.
 */
export class Notifications extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetter(
      this,
      queues.notify,
    ));
  }
}
