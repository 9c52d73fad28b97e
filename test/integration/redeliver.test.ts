import { describe, expect, it } from 'vitest';
import { createAppClient } from '#shared/github/app-client.ts';
import { appDeliveryLog } from '#shared/github/delivery-log.ts';
import { keys } from '#shared/store/keys.ts';
import { redeliverFailed } from '#shared/webhooks/redeliver-failed.ts';
import { testSecret } from '../support/local-stack.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';

const github = useStackWithGitHub(
  {
    seed: 17,
    installationId: 1717,
    organisation: 'redelivered',
    repositories: [{ name: 'app', pullRequests: 5 }],
  },
  { daysBack: 0 },
);
const { harness } = github;

const deliveryLog = () =>
  appDeliveryLog(
    createAppClient({
      appId: github.sim.appId,
      privateKey: github.sim.privateKey,
      baseUrl: github.sim.url,
      remainingMs: () => 60_000,
      requestSpacingMs: 0,
    }),
  );

describe('redeliverFailed', () => {
  it('asks GitHub once to redeliver a delivery that failed, and the redelivery is processed', async () => {
    await github.installAndSync();
    // A secret mismatch while rotating: GitHub's delivery of the new PR fails with a 401.
    github.sim.webhooks.configure({ url: harness.stack.webhookUrl, secret: 'not-the-secret' });
    const failed = await github.sim.activity.open('redelivered/app', { title: 'lost in delivery' });
    github.sim.webhooks.configure({ url: harness.stack.webhookUrl, secret: testSecret });
    expect(failed.statusCode).toBe(401);
    const { number } = JSON.parse(failed.body).pull_request as { number: number };
    const repositoryId = github.sim.dataset.repositories[0]?.id as number;
    expect(await harness.get(keys.pullRequest(1717, repositoryId, number))).toBeUndefined();

    expect(await redeliverFailed(harness.table, deliveryLog(), new Date())).toBe(1);
    expect(await harness.get(keys.pullRequest(1717, repositoryId, number))).toMatchObject({
      title: 'lost in delivery',
    });

    // Asked once: the next runs ask nothing more.
    expect(await redeliverFailed(harness.table, deliveryLog(), new Date())).toBe(0);
    expect(github.sim.webhooks.deliveries.filter((d) => d.redelivery)).toHaveLength(1);
  });
});
