import { describe, expect, it } from 'vitest';
import { QueueSendError, sendMessages } from '#shared/queue/send-batch.ts';
import { useLocalStack } from '../support/local-stack.ts';

const harness = useLocalStack();

describe('sendMessages', () => {
  it('sends any number of messages in batches of ten', async () => {
    const messages = Array.from({ length: 25 }, (_, i) => ({
      id: `m${i}`,
      body: JSON.stringify(i),
    }));

    await sendMessages(harness.sqs, harness.stack.aws.syncQueueUrl, messages);

    const received = await harness.drain(harness.stack.aws.syncQueueUrl);
    expect((received as number[]).sort((a, b) => a - b)).toEqual(messages.map((_, i) => i));
  });

  it('retries only the failed entries and names those that never went through', async () => {
    const messages = [
      { id: 'good-1', body: '"one"' },
      // SQS refuses U+0000 in a message body, so this entry fails on every attempt.
      { id: 'refused', body: '"\u0000"' },
      { id: 'good-2', body: '"two"' },
    ];

    const error = await sendMessages(harness.sqs, harness.stack.aws.syncQueueUrl, messages, {
      baseDelayMs: 1,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueueSendError);
    expect((error as QueueSendError).failedIds).toEqual(['refused']);
    expect(((await harness.drain(harness.stack.aws.syncQueueUrl)) as string[]).sort()).toEqual([
      'one',
      'two',
    ]);
  });
});
