import { startLocalStack } from '#infra/local/local-stack.ts';
import { sendSignedWebhook } from '#infra/local/sign-and-send.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { table } from '#shared/resources.ts';
import { keys } from '#shared/store/keys.ts';
import { queryAll } from '#shared/store/table.ts';
import { installationPayload, pullRequestPayload, repository } from '../support/payloads.ts';
import { webhookBurst } from '../support/webhook-burst.ts';
import { latencyFigure, measure, quantile } from './measure.ts';
import { report } from './report.ts';

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
const upsert = await measure('pull_request (upsert PR)', 500, (i) =>
  send(
    'pull_request',
    pullRequestPayload(1, repo, { number: i + 1, updatedAt: new Date().toISOString() }),
  ),
);
// Every request reuses one delivery id: after the first, each is a recognised duplicate.
const duplicate = await measure('pull_request redelivered (duplicate)', 500, () =>
  send(
    'pull_request',
    pullRequestPayload(1, repo, { number: 1, updatedAt: '2026-01-01T00:00:00Z' }),
    'bench-redelivery',
  ),
);
const installTen = await measure('installation.created, 10 repositories', 100, (i) =>
  send(
    'installation',
    installationPayload(
      'created',
      1000 + i,
      Array.from({ length: 10 }, (_, r) => repository(100_000 + i * 10 + r)),
    ),
  ),
);
const installMany = await measure('installation.created, 200 repositories', 20, (i) =>
  send(
    'installation',
    installationPayload(
      'created',
      5000 + i,
      Array.from({ length: 200 }, (_, r) => repository(1_000_000 + i * 200 + r)),
    ),
  ),
);
// Issue #16: 2,000 deliveries for one installation within 10 s, every tenth redelivered at once.
await send('installation', installationPayload('created', 9000, [repository(9_000_000, 'burst')]));
const burst = await webhookBurst({
  webhookUrl: stack.webhookUrl,
  secret,
  installationId: 9000,
  repositoryId: 9_000_000,
  deliveries: 2000,
  perSecond: 200,
  redeliverEvery: 10,
});
const stored = await queryAll<{ number: number }>(
  { db: createDocumentClient(), tableName: stack.aws.tableName },
  {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :pr)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': keys.pullRequestPartition(9000, 9_000_000), ':pr': 'PR#' },
  },
);
await stack.stop();
const storedOnce = new Set(stored.map((pr) => pr.number)).size;
const answers = Object.entries(burst.outcomes)
  .map(([outcome, count]) => `${count} ${outcome}`)
  .join(', ');
report(import.meta.url, 'Webhooks: through the front door, handler, DynamoDB and SQS', [
  latencyFigure('pull_request (upsert PR), one at a time', upsert),
  latencyFigure('redelivered pull_request (duplicate)', duplicate),
  latencyFigure('installation.created, 10 repositories', installTen),
  latencyFigure('installation.created, 200 repositories', installMany),
  {
    name: 'burst: 2,000 pull_request deliveries at 200 a second, every tenth redelivered',
    measured: `${storedOnce} of 2,000 PRs stored (${stored.length} items) in ${burst.seconds.toFixed(1)} s; p50 ${quantile(burst.latencies, 0.5).toFixed(0)} ms, p99 ${quantile(burst.latencies, 0.99).toFixed(0)} ms; answers: ${answers}`,
    target: 'every PR stored once; 2,000 answered processed, 200 duplicate',
    met:
      storedOnce === 2000 &&
      stored.length === 2000 &&
      burst.outcomes.processed === 2000 &&
      burst.outcomes.duplicate === 200,
  },
]);
