import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { eachRecord } from '#shared/queue/each-record.ts';

const record = (messageId: string, body: string) => ({ messageId, body }) as SQSRecord;

describe('eachRecord', () => {
  it('reports only the records that threw, after trying every one, and resets log keys between them', async () => {
    const log: string[] = [];
    const logger = {
      error: (message: string) => log.push(`error: ${message}`),
      resetKeys: () => log.push('reset'),
    };
    const handled: string[] = [];
    const event = {
      Records: [record('m1', 'ok'), record('m2', 'boom'), record('m3', 'ok')],
    } as SQSEvent;

    const response = await eachRecord(event, logger, 'sync job', async ({ messageId, body }) => {
      if (body === 'boom') throw new Error('GitHub said no');
      handled.push(messageId);
    });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(handled).toEqual(['m1', 'm3']);
    expect(log).toEqual(['reset', 'error: sync job failed; SQS will retry it', 'reset', 'reset']);
  });
});
