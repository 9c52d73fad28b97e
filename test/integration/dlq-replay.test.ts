import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { replayDeadLetters } from '#shared/queue/replay.ts';
import { useLocalStack } from '../support/local-stack.ts';

const harness = useLocalStack();

describe('replayDeadLetters', () => {
  it('moves every parked message back to its queue, and none twice', async () => {
    const { syncQueueUrl, syncDeadLetterQueueUrl } = harness.stack.aws;
    const bodies = Array.from({ length: 23 }, (_, i) => JSON.stringify({ parked: i }));
    for (let i = 0; i < bodies.length; i += 10) {
      await harness.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: syncDeadLetterQueueUrl,
          Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
        }),
      );
    }
    const progress: number[] = [];

    const moved = await replayDeadLetters(harness.sqs, syncDeadLetterQueueUrl, syncQueueUrl, (n) =>
      progress.push(n),
    );

    expect(moved).toBe(23);
    expect(progress.at(-1)).toBe(23);
    expect(await harness.drain(syncDeadLetterQueueUrl)).toEqual([]);
    const replayed = (await harness.drain(syncQueueUrl)) as { parked: number }[];
    expect(replayed.map((m) => m.parked).sort((a, b) => a - b)).toEqual(bodies.map((_, i) => i));
  });
});
