import { startLocalStack } from '#infra/local/local-stack.ts';
import { sendSignedWebhook } from '#infra/local/sign-and-send.ts';
import { installationPayload, pullRequestPayload, repository } from '../support/payloads.ts';
import { measure } from './measure.ts';

/**
 * Benchmark, part 1: webhook handling end to end (HTTP front door → handler →
 * DynamoDB and SQS on the embedded servers), the path GitHub's deliveries take.
 * Figures are wall-clock on this machine; the embedded servers share its CPU.
 */
const secret = 'bench-secret';
const stack = await startLocalStack({ port: 0, webhookSecret: secret });

const send = (event: string, payload: unknown, deliveryId?: string) =>
  sendSignedWebhook({ url: stack.webhookUrl, secret, event, payload, deliveryId }).then(
    (response) => response.status,
  );

const repo = repository(1, 'bench');
await measure('pull_request (upsert PR)', 500, (i) =>
  send(
    'pull_request',
    pullRequestPayload(1, repo, { number: i + 1, updatedAt: new Date().toISOString() }),
  ),
);
// Every request reuses one delivery id: after the first, each is a recognised duplicate.
await measure('pull_request redelivered (duplicate)', 500, () =>
  send(
    'pull_request',
    pullRequestPayload(1, repo, { number: 1, updatedAt: '2026-01-01T00:00:00Z' }),
    'bench-redelivery',
  ),
);
await measure('installation.created, 10 repositories', 100, (i) =>
  send(
    'installation',
    installationPayload(
      'created',
      1000 + i,
      Array.from({ length: 10 }, (_, r) => repository(100_000 + i * 10 + r)),
    ),
  ),
);
await measure('installation.created, 200 repositories', 20, (i) =>
  send(
    'installation',
    installationPayload(
      'created',
      5000 + i,
      Array.from({ length: 200 }, (_, r) => repository(1_000_000 + i * 200 + r)),
    ),
  ),
);
const { heapUsed, rss } = process.memoryUsage();
console.log(
  `memory after run: heap ${(heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(rss / 2 ** 20).toFixed(0)} MiB (stack and handlers in one process)`,
);
await stack.stop();
