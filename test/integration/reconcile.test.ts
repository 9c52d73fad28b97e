import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { incomingMessage } from '#shared/queue/message.ts';
import { syncJobSchema } from '#shared/queue/sync-job.ts';
import {
  deactivateRepositories,
  recordInstallation,
  recordRepositories,
} from '#shared/store/installations.ts';
import { dispatchReconciliation } from '#shared/sync/dispatch-reconciliation.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { account, repository } from '../support/payloads.ts';

const harness = useLocalStack();

describe('dispatchReconciliation', () => {
  it('queues an incremental sync for each active repository of each active installation, keyed by day', async () => {
    const table = harness.table;
    const now = new Date('2026-11-22T03:00:00Z');
    await recordInstallation(table, { id: 1, account }, now, 'active');
    await recordRepositories(table, 1, [repository(11), repository(12)], now);
    await deactivateRepositories(table, 1, [repository(12)], now);
    await recordInstallation(table, { id: 2, account }, now, 'suspended');
    await recordRepositories(table, 2, [repository(21)], now);

    const queued = await dispatchReconciliation(
      table,
      harness.sqs,
      harness.stack.aws.syncQueueUrl,
      now,
    );
    const again = await dispatchReconciliation(
      table,
      harness.sqs,
      harness.stack.aws.syncQueueUrl,
      now,
    );

    const jobs = (await harness.drain(harness.stack.aws.syncQueueUrl)).map((body) =>
      incomingMessage(syncJobSchema, JSON.stringify(body)),
    );
    expect([queued, again]).toEqual([
      { queued: 1, resyncs: 0, stillShort: 0 },
      { queued: 1, resyncs: 0, stillShort: 0 },
    ]);
    expect(jobs.map((job) => [job.repository.id, job.trigger, job.idempotencyKey])).toEqual([
      [11, 'reconcile', 'reconcile:2026-11-22:11'],
      [11, 'reconcile', 'reconcile:2026-11-22:11'],
    ]);
  });

  it('sends the jobs delayed, ten seconds apart, not as one burst', async () => {
    const table = harness.table;
    const now = new Date('2026-11-23T03:00:00Z');
    await recordInstallation(table, { id: 3, account }, now, 'active');
    await recordRepositories(
      table,
      3,
      [31, 32, 33, 34].map((id) => repository(id)),
      now,
    );
    await harness.drain(harness.stack.aws.syncQueueUrl);

    const queued = await dispatchReconciliation(
      table,
      harness.sqs,
      harness.stack.aws.syncQueueUrl,
      now,
    );

    // Repository 11 (installation 1, above) and 31 to 34: one now, the rest every ten seconds.
    expect(queued.queued).toBe(5);
    const { Attributes } = await harness.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: harness.stack.aws.syncQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesDelayed: '4',
    });
  });
});
