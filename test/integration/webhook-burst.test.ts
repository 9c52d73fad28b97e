import { describe, expect, it } from 'vitest';
import { table } from '#shared/resources.ts';
import { keys } from '#shared/store/keys.ts';
import { queryAll } from '#shared/store/table.ts';
import { testSecret, useLocalStack } from '../support/local-stack.ts';
import { installationPayload, repository } from '../support/payloads.ts';
import { webhookBurst } from '../support/webhook-burst.ts';

const harness = useLocalStack();

describe('a burst of webhooks for one installation', () => {
  it('stores every pull request once and processes every delivery once, redeliveries recognised', async () => {
    await harness.send(
      'installation',
      installationPayload('created', 77, [repository(7700, 'burst')]),
    );

    // 300 deliveries at 100 a second, every tenth delivered twice (at once).
    const burst = await webhookBurst({
      webhookUrl: harness.stack.webhookUrl,
      secret: testSecret,
      installationId: 77,
      repositoryId: 7700,
      deliveries: 300,
      perSecond: 100,
      redeliverEvery: 10,
    });

    // Each delivery once; a redelivery that overlapped its first attempt may be told to come back (409) or be a duplicate.
    expect(burst.outcomes.processed).toBe(300);
    expect((burst.outcomes.duplicate ?? 0) + (burst.outcomes['HTTP 409'] ?? 0)).toBe(30);
    const stored = await queryAll<{ number: number }>(harness.table, {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :pr)',
      ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
      ExpressionAttributeValues: { ':pk': keys.pullRequestPartition(77, 7700), ':pr': 'PR#' },
    });
    expect(stored.map((pr) => pr.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
  });
});
