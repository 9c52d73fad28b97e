import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { QueueDefinition } from '../queues.ts';

/**
 * A queue built from its shared definition, with the dead-letter queue its
 * messages move to after `maxReceiveCount` receives. Both encrypted (SQS
 * managed) and refusing plain HTTP.
 */
export function queueWithDeadLetter(
  scope: Construct,
  definition: QueueDefinition,
): { queue: Queue; deadLetterQueue: Queue } {
  const deadLetterQueue = failureQueue(
    scope,
    'DeadLetterQueue',
    `the dead-letter queue of ${definition.logicalName}`,
    Duration.seconds(definition.deadLetter.retentionSeconds),
  );
  const queue = new Queue(scope, 'Queue', {
    visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
    retentionPeriod: Duration.seconds(definition.retentionSeconds),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}

/**
 * A queue where failures end up (a dead-letter queue, or the failed events of
 * a schedule): encrypted, TLS only, and with no dead-letter queue of its own.
 */
export function failureQueue(
  scope: Construct,
  id: string,
  purpose: string,
  retention = Duration.days(14),
): Queue {
  const queue = new Queue(scope, id, {
    retentionPeriod: retention,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  for (const rule of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
    Validations.of(queue).acknowledge({
      id: rule,
      reason: `This is ${purpose}: where failures end; it has no dead-letter queue of its own.`,
    });
  }
  return queue;
}
