import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createQueueWithDeadLetter } from '#infra/local/embedded-aws.ts';
import { type QueuePoller, startQueuePoller } from '#infra/local/queue-poller.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { until } from '../support/until.ts';

const harness = useLocalStack();
let poller: QueuePoller | undefined;
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

async function testQueue(name: string) {
  return createQueueWithDeadLetter(harness.stack.aws.env.AWS_ENDPOINT_URL_SQS as string, {
    logicalName: name,
    visibilityTimeoutSeconds: 1,
    retentionSeconds: 3600,
    maxReceiveCount: 2,
    deadLetter: { logicalName: `${name}-dlq`, retentionSeconds: 3600 },
  });
}

async function send(queueUrl: string, bodies: string[]) {
  await harness.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: bodies.map((body, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(body),
      })),
    }),
  );
}

describe('startQueuePoller', () => {
  it('deletes what succeeded and redrives a failing record to the DLQ after maxReceiveCount', async () => {
    const queue = await testQueue('partial-failures');
    const seen: { body: string; receiveCount: string }[] = [];
    poller = await startQueuePoller({
      sqs: harness.sqs,
      queueUrl: queue.url,
      functionName: 'test-consumer',
      timeoutSeconds: 5,
      handler: async (event: SQSEvent): Promise<SQSBatchResponse> => {
        seen.push(
          ...event.Records.map((r) => ({
            body: JSON.parse(r.body) as string,
            receiveCount: r.attributes.ApproximateReceiveCount,
          })),
        );
        return {
          batchItemFailures: event.Records.filter((r) => r.body === '"poison"').map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      },
    });

    await send(queue.url, ['ok-1', 'poison', 'ok-2']);
    await until(() => seen.filter((s) => s.body === 'poison').length >= 2, 10_000, 50);
    await poller.stop();

    expect(
      seen
        .filter((s) => s.body.startsWith('ok'))
        .map((s) => s.body)
        .sort(),
    ).toEqual(['ok-1', 'ok-2']);
    expect(seen.filter((s) => s.body === 'poison').map((s) => s.receiveCount)).toEqual(['1', '2']);
    // The third receive attempt moves it to the DLQ instead of delivering it.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await harness.drain(queue.url)).toEqual([]);
    expect(await harness.drain(queue.deadLetterUrl)).toEqual(['poison']);
  });

  it('returns the whole batch to the queue when the handler throws', async () => {
    const queue = await testQueue('invocation-errors');
    let calls = 0;
    const errors: unknown[] = [];
    poller = await startQueuePoller({
      sqs: harness.sqs,
      queueUrl: queue.url,
      functionName: 'test-consumer',
      timeoutSeconds: 5,
      onInvocationError: (error) => errors.push(error),
      handler: async () => {
        calls++;
        if (calls === 1) throw new Error('crashed mid-batch');
        return { batchItemFailures: [] };
      },
    });

    await send(queue.url, ['a']);
    await until(() => calls >= 2, 10_000, 50);
    await poller.stop();

    expect(errors).toHaveLength(1);
    expect(await harness.drain(queue.url)).toEqual([]);
    expect(await harness.drain(queue.deadLetterUrl)).toEqual([]);
  });
});
