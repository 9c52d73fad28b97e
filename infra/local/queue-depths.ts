import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { connectToRunningStack } from './embedded-aws.ts';

/** `npm run queues`: message counts on the running local stack's queues. */
const { sqs, sqsEndpoint } = connectToRunningStack();
const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
for (const queueUrl of QueueUrls) {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: new URL(new URL(queueUrl).pathname, sqsEndpoint).href,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  console.log(
    `${queueUrl.split('/').pop()?.padEnd(16)} visible ${Attributes.ApproximateNumberOfMessages}  in flight ${Attributes.ApproximateNumberOfMessagesNotVisible}`,
  );
}
