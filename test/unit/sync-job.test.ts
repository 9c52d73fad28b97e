import { describe, expect, it } from 'vitest';
import { incomingMessage } from '#shared/queue/message.ts';
import { syncJobMessages, syncJobSchema } from '#shared/queue/sync-job.ts';

const request = {
  installationId: 42,
  repositories: [
    { id: 1, fullName: 'acme/api' },
    { id: 2, fullName: 'acme/web' },
  ],
  trigger: 'installation' as const,
  deliveryId: 'delivery-1',
  now: new Date('2026-11-02T10:00:00Z'),
};

describe('syncJobMessages', () => {
  it('builds one versioned job per repository, keyed by delivery and repository', () => {
    const messages = syncJobMessages(request);

    expect(messages.map((message) => message.id)).toEqual(['1', '2']);
    expect(incomingMessage(syncJobSchema, messages[0]?.body ?? '')).toEqual({
      version: 1,
      idempotencyKey: 'delivery-1:1',
      installationId: 42,
      repository: { id: 1, fullName: 'acme/api' },
      trigger: 'installation',
      requestedAt: '2026-11-02T10:00:00.000Z',
    });
  });

  it('gives a redelivery of the same webhook the same idempotency keys', () => {
    const first = syncJobMessages(request).map(
      (m) => incomingMessage(syncJobSchema, m.body).idempotencyKey,
    );
    const again = syncJobMessages({ ...request, now: new Date('2026-11-03T00:00:00Z') }).map(
      (m) => incomingMessage(syncJobSchema, m.body).idempotencyKey,
    );

    expect(again).toEqual(first);
  });

  it('builds nothing for no repositories', () => {
    expect(syncJobMessages({ ...request, repositories: [] })).toEqual([]);
  });
});

describe('incomingMessage(syncJobSchema)', () => {
  it('refuses a message of an unknown version', () => {
    const body = JSON.parse(syncJobMessages(request)[0]?.body ?? '{}');

    expect(() => incomingMessage(syncJobSchema, JSON.stringify({ ...body, version: 2 }))).toThrow(
      /version/,
    );
  });

  it('refuses a repository name that is not owner/name', () => {
    const body = JSON.parse(syncJobMessages(request)[0]?.body ?? '{}');
    const bad = { ...body, repository: { id: 1, fullName: 'no-owner' } };

    expect(() => incomingMessage(syncJobSchema, JSON.stringify(bad))).toThrow(/owner\/name/);
  });
});
