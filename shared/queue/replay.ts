import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sendMessages } from './send-batch.ts';

/**
 * Moves messages parked on a dead-letter queue back to the queue they failed
 * on, ten at a time: sent first, deleted after, so a crash in between can
 * only duplicate a message (every consumer is idempotent), never lose one.
 */
export async function replayDeadLetters(
  sqs: Pick<SQSClient, 'send'>,
  deadLetterQueueUrl: string,
  targetQueueUrl: string,
  onProgress: (moved: number) => void = () => undefined,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 120,
      }),
    );
    if (Messages.length === 0) return moved;
    await sendMessages(
      sqs,
      targetQueueUrl,
      Messages.map((message, index) => ({ id: String(index), body: message.Body ?? '' })),
    );
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: deadLetterQueueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
    moved += Messages.length;
    onProgress(moved);
  }
}
