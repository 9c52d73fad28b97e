import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { eachMessage } from '#shared/queue/each-message.ts';

const schema = z.object({
  installationId: z.int(),
  idempotencyKey: z.string(),
  fails: z.boolean(),
});
const record = (messageId: string, body: unknown) =>
  ({ messageId, body: JSON.stringify(body) }) as SQSRecord;
const message = (key: string, fails = false) => ({ installationId: 7, idempotencyKey: key, fails });

describe('eachMessage', () => {
  it('reports only the messages that failed or did not parse, after trying every one, with log keys per message', async () => {
    const log: string[] = [];
    const logger = {
      error: (text: string) => log.push(`error: ${text}`),
      resetKeys: () => log.push('reset'),
      appendKeys: (keys: Record<string, unknown>) => log.push(`keys: ${keys.idempotencyKey}`),
    };
    const handled: string[] = [];
    const event = {
      Records: [
        record('m1', message('a')),
        record('m2', message('b', true)),
        record('m3', { installationId: 'seven' }),
        record('m4', message('d')),
      ],
    } as SQSEvent;

    const response = await eachMessage(event, logger, schema, 'sync job', async (parsed) => {
      if (parsed.fails) throw new Error('GitHub said no');
      handled.push(parsed.idempotencyKey);
    });

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }],
    });
    expect(handled).toEqual(['a', 'd']);
    expect(log).toEqual([
      'keys: a',
      'reset',
      'keys: b',
      'error: sync job failed; SQS will retry it',
      'reset',
      'error: sync job failed; SQS will retry it',
      'reset',
      'keys: d',
      'reset',
    ]);
  });
});
