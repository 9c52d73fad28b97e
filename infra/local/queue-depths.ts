import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';

/**
 * `npm run queues`: message counts on the running local stack's queues, to see
 * what webhooks queued. Reads the same PORT as `npm start` (SQS is on PORT+2).
 */
const port = Number(process.env.PORT ?? 3000);
const endpoint = `http://127.0.0.1:${port + 2}`;
const sqs = new SQSClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
for (const queueUrl of QueueUrls) {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: new URL(new URL(queueUrl).pathname, endpoint).href,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  console.log(
    `${queueUrl.split('/').pop()?.padEnd(16)} visible ${Attributes.ApproximateNumberOfMessages}  in flight ${Attributes.ApproximateNumberOfMessagesNotVisible}`,
  );
}
