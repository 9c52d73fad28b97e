import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalStack } from '#infra/local/local-stack.ts';

/** Resolves once every work queue is empty and has nothing in flight or delayed, twice in a row. */
export async function settled(stack: LocalStack): Promise<void> {
  const sqs = new SQSClient({});
  const queueUrls = [
    stack.aws.syncQueueUrl,
    stack.aws.notifyQueueUrl,
    stack.aws.rollupQueueUrl,
    stack.aws.env.COPILOT_QUEUE_URL as string,
  ];
  let quiet = 0;
  while (quiet < 2) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const counts = await Promise.all(
      queueUrls.map(async (QueueUrl) => {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        );
        return Object.values(Attributes).reduce((sum, count) => sum + Number(count), 0);
      }),
    );
    quiet = counts.every((count) => count === 0) ? quiet + 1 : 0;
  }
}
