import { performance } from 'node:perf_hooks';
import { startLocalStack } from '#infra/local/local-stack.ts';
import { sendSignedWebhook } from '#infra/local/sign-and-send.ts';
import { installationPayload, pullRequestPayload, repository } from '../support/payloads.ts';

/**
 * `npm run bench`: webhook handling end to end (HTTP front door → handler →
 * DynamoDB and SQS on the embedded servers), the path GitHub's deliveries take.
 * Figures are wall-clock on this machine; the embedded servers share its CPU.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
const secret = 'bench-secret';
const stack = await startLocalStack({ port: 0, webhookSecret: secret });

async function measure(label: string, count: number, send: (i: number) => Promise<number>) {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const status = await send(i);
    latencies.push(performance.now() - t0);
    if (status !== 200) throw new Error(`${label}: request ${i} answered ${status}`);
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  console.log(
    `${label.padEnd(44)} n=${String(count).padStart(4)}  p50 ${at(0.5).toFixed(1).padStart(6)} ms  p95 ${at(0.95).toFixed(1).padStart(6)} ms  p99 ${at(0.99).toFixed(1).padStart(6)} ms  max ${at(1).toFixed(1).padStart(6)} ms  ${(count / elapsed).toFixed(0).padStart(4)} req/s`,
  );
}

const send = (event: string, payload: unknown, deliveryId?: string) =>
  sendSignedWebhook({ url: stack.webhookUrl, secret, event, payload, deliveryId }).then(
    (response) => response.status,
  );

const repo = repository(1, 'bench');
await measure('pull_request (upsert PR + member)', 500, (i) =>
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
