import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryOf } from '#infra/local/github-sim/delivery.ts';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { repositoryDeployments } from '#shared/store/deployments.ts';
import { keys } from '#shared/store/keys.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { driveSync } from '../support/sync-driver.ts';
import { enqueueSyncJobs, recordSimulatedRepository, syncJobFor } from '../support/sync-jobs.ts';

const installationId = 707;
let sim: GitHubSimulator;
beforeAll(async () => {
  sim = await startGitHubSimulator({
    dataset: {
      seed: 707,
      installationId,
      organisation: 'thrifty',
      repositories: [{ name: 'big', pullRequests: 400 }],
    },
    // A budget that runs out a few chunks in, and resets within seconds.
    rateLimits: { graphqlLimit: 7, windowMs: 3000 },
  });
});
const harness = useLocalStack();
afterAll(async () => {
  await sim.stop();
});

describe('sync worker and the primary rate limit', () => {
  it('waits for the reset with a delayed message when the budget runs low, then completes', async () => {
    const ref = harness.table;
    const repo = sim.dataset.repositories[0];
    if (!repo) throw new Error('no repository');
    await recordSimulatedRepository(ref, { installationId, dataset: sim.dataset }, repo);
    await enqueueSyncJobs(
      harness.sqs,
      harness.stack.aws.syncQueueUrl,
      syncJobFor(installationId, repo, 'rate-limit-test'),
    );
    const sawWaiting: boolean[] = [];

    const { outcomes, counted } = await driveSync(harness, sim, {
      settings: { reserve: 3 },
      done: async () => {
        const state = await harness.get(keys.repository(installationId, repo.id));
        sawWaiting.push(state?.syncStatus === 'waiting');
        return state?.syncStatus === 'complete';
      },
      timeoutMs: 60_000,
    });

    expect(outcomes.filter((o) => o === 'waiting').length).toBeGreaterThanOrEqual(2);
    expect(outcomes).not.toContain('failed');
    expect(sawWaiting).toContain(true);
    // What the dashboard is told: each wait, each chunk, every PR once.
    expect(counted.RateLimitWaits).toBeGreaterThanOrEqual(2);
    expect(counted.PullRequestsSynced).toBe(400);
    // The delivery stream waited with the PRs and read every deployment once.
    const { deployments } = deliveryOf(sim.dataset, repo);
    expect(counted.DeploymentsSynced).toBe(deployments.length);
    expect(
      (await repositoryDeployments(ref, installationId, repo.id)).map((d) => d.deploymentId),
    ).toEqual(deployments.map((deployment) => deployment.id));
    expect(counted.Chunks).toBeGreaterThanOrEqual(8);
    expect(counted.GitHubPoints).toBeGreaterThanOrEqual(counted.Chunks as number);
    expect(await harness.get(keys.repository(installationId, repo.id))).toMatchObject({
      syncStatus: 'complete',
      syncCompleted: 400,
      syncWaitUntil: null,
    });
  }, 90_000);
});
