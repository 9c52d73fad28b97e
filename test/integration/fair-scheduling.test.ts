import { describe, expect, it } from 'vitest';
import { keys } from '#shared/store/keys.ts';
import { startingAtOnce } from '#shared/store/sync-admission.ts';
import { testSecret } from '../support/local-stack.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';

const large = 601;
const small = 602;
const github = useStackWithGitHub(
  {
    seed: 601,
    installationId: large,
    organisation: 'large-org',
    repositories: Array.from({ length: 12 }, (_, i) => ({
      name: `service-${i + 1}`,
      pullRequests: 60,
    })),
  },
  {
    daysBack: 0,
    readsNotifications: true,
    copilotMetrics: 'disabled',
    organisations: [
      {
        seed: 602,
        installationId: small,
        organisation: 'small-org',
        repositories: [
          { name: 'app', pullRequests: 20 },
          { name: 'site', pullRequests: 20 },
        ],
      },
    ],
  },
);
const harness = github.harness;

async function completed(installationId: number): Promise<number> {
  const repositories = github.sim.installations.get(installationId)?.dataset.repositories ?? [];
  const states = await Promise.all(
    repositories.map((repo) => harness.get(keys.repository(installationId, repo.id))),
  );
  return states.filter((state) => state?.syncStatus === 'complete').length;
}

describe('fair scheduling across installations', () => {
  it("syncs a small installation that arrives behind a large one's first syncs without waiting for them all", async () => {
    // Syncs that take a moment, as GitHub's answers do; three workers, as the local stack runs.
    github.sim.setFaults({ latencyMs: 100 });
    github.sim.webhooks.configure({ url: harness.stack.webhookUrl, secret: testSecret });
    await github.sim.installations.get(large)?.activity.installed();
    await github.sim.installations.get(small)?.activity.installed();

    // Only a few of the large installation's repositories stand in the queue at once.
    const held = await Promise.all(
      (github.sim.installations.get(large)?.dataset.repositories ?? []).map(
        async (repo) => (await harness.get(keys.repository(large, repo.id)))?.syncPending === true,
      ),
    );
    expect(held.filter((pending) => !pending).length).toBeLessThanOrEqual(startingAtOnce);

    await until(async () => (await completed(small)) === 2, 60_000);
    const largeDoneByThen = await completed(large);
    // Queued in order, the small installation's two would have waited for ten or more of the twelve.
    expect(largeDoneByThen).toBeLessThanOrEqual(7);

    // And the large installation's held-back repositories all come in, one as each sync ends.
    await until(async () => (await completed(large)) === 12, 60_000);
    github.sim.setFaults({});
  });
});
