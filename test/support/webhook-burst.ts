import { performance } from 'node:perf_hooks';
import { sendSignedWebhook } from '#infra/local/sign-and-send.ts';
import { pullRequestPayload, repository } from './payloads.ts';

export interface BurstResult {
  /** Milliseconds each delivery took, sorted. */
  latencies: number[];
  /** How many answers said each outcome (`processed`, `duplicate`, ...), and any non-2xx statuses. */
  outcomes: Record<string, number>;
  seconds: number;
}

/**
 * A burst of pull_request deliveries for one installation, paced at `perSecond`,
 * each a distinct PR; every `redeliverEvery`-th is sent again with its
 * delivery id, as GitHub's redelivery does. What came back, per outcome.
 */
export async function webhookBurst(options: {
  webhookUrl: string;
  secret: string;
  installationId: number;
  repositoryId: number;
  deliveries: number;
  perSecond: number;
  redeliverEvery: number;
}): Promise<BurstResult> {
  const repo = repository(options.repositoryId, 'burst');
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const started = performance.now();
  const sends: Promise<void>[] = [];
  const send = async (number: number) => {
    const t0 = performance.now();
    const { status, body } = await sendSignedWebhook({
      url: options.webhookUrl,
      secret: options.secret,
      event: 'pull_request',
      payload: pullRequestPayload(options.installationId, repo, {
        number,
        updatedAt: '2026-11-20T10:00:00Z',
      }),
      deliveryId: `burst-${options.installationId}-${number}`,
    });
    latencies.push(performance.now() - t0);
    const outcome =
      status < 300 ? String((body as { outcome?: string }).outcome) : `HTTP ${status}`;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  };
  for (let i = 0; i < options.deliveries; i++) {
    const due = started + (i * 1000) / options.perSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    sends.push(send(i + 1));
    if ((i + 1) % options.redeliverEvery === 0) sends.push(send(i + 1));
  }
  await Promise.all(sends);
  return {
    latencies: latencies.sort((a, b) => a - b),
    outcomes,
    seconds: (performance.now() - started) / 1000,
  };
}
