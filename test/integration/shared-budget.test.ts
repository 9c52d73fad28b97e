import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { readBudget } from '#shared/store/github-budget.ts';
import { recordInstallation, recordRepositories } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import type { TableRef } from '#shared/store/table.ts';
import { runSync } from '#shared/sync/run-sync.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { testSyncSettings, testWorkerDependencies } from '../support/sync-driver.ts';
import { syncJobFor } from '../support/sync-jobs.ts';

const installationId = 808;
const reserve = 10;
let sim: GitHubSimulator;
beforeAll(async () => {
  sim = await startGitHubSimulator({
    dataset: {
      seed: 808,
      installationId,
      organisation: 'sharers',
      repositories: ['one', 'two', 'three'].map((name) => ({ name, pullRequests: 400 })),
    },
    // 20 points an hour: the recent parts of three backfills of 400 PRs (a few chunks of two
    // or three points each) cannot all fit above the reserve.
    rateLimits: { graphqlLimit: 20 },
  });
});
const harness = useLocalStack();
afterAll(async () => {
  await sim.stop();
});

/** The simulator's installation and its repositories, recorded as its installation webhook would. */
async function recordSimulated(ref: TableRef, simulator: GitHubSimulator, id: number) {
  await recordInstallation(
    ref,
    { id, account: simulator.dataset.organisation },
    new Date(),
    'active',
  );
  await recordRepositories(
    ref,
    id,
    simulator.dataset.repositories.map((repo) => ({
      id: repo.id,
      name: repo.name,
      full_name: repo.fullName,
      private: false,
    })),
    new Date(),
  );
}

describe("an installation's shared GitHub budget", () => {
  it('keeps concurrent workers above the reserve together, and makes them all wait for the same reset', async () => {
    await recordSimulated(harness.table, sim, installationId);

    // Three workers at once, one per repository, as the capped event source runs them.
    const outcomes = await Promise.all(
      sim.dataset.repositories.map((repo, index) =>
        runSync(
          syncJobFor(installationId, repo, `budget:${repo.id}`),
          testWorkerDependencies(harness, sim, `worker-${index}`, { ...testSyncSettings, reserve }),
        ),
      ),
    );

    expect(outcomes).toEqual(['waiting', 'waiting', 'waiting']);
    // GitHub's own count: the installation never went under the reserve.
    const { data } = await simOctokit(sim).request('GET /rate_limit');
    expect(data.resources.graphql?.remaining).toBeGreaterThanOrEqual(reserve);
    // One wait for the whole installation: every repository until the same reset.
    const budget = await readBudget(harness.table, installationId);
    const waits = await Promise.all(
      sim.dataset.repositories.map(async (repo) => {
        const state = await harness.get(keys.repository(installationId, repo.id));
        return { status: state?.syncStatus, until: state?.syncWaitUntil };
      }),
    );
    expect(waits).toEqual(
      waits.map(() => ({
        status: 'waiting',
        until: new Date(budget?.resetAt as number).toISOString(),
      })),
    );
    expect(budget?.resetAt).toBe((data.resources.graphql?.reset as number) * 1000);
    // Operators see the installation's budget beside its repositories.
    const { installations } = (await (
      await fetch(`${harness.stack.url}/api/installations`)
    ).json()) as { installations: { installationId: number; githubBudget: unknown }[] };
    expect(installations.find((i) => i.installationId === installationId)?.githubBudget).toEqual({
      remaining: budget?.remaining,
      resetAt: new Date(budget?.resetAt as number).toISOString(),
    });
  });

  it("keeps an installation's requests a minute under GitHub's secondary limit, waiting for the next minute", async () => {
    // GitHub (here) refuses a sixth GraphQL query in a minute; Flowmeter keeps to four.
    const busy = await startGitHubSimulator({
      dataset: {
        seed: 809,
        installationId: 809,
        organisation: 'busy',
        repositories: ['one', 'two'].map((name) => ({ name, pullRequests: 500 })),
      },
      faults: { secondary: { pointsPerMinute: 5 } },
    });
    try {
      await recordSimulated(harness.table, busy, 809);
      // Flowmeter counts a calendar minute, the simulator (as GitHub) the last sixty seconds: a run
      // across a minute's end may spend four on each side, which GitHub would refuse. Start early in one.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 45_000) await setTimeout(60_000 - intoMinute);
      const outcomes = await Promise.all(
        busy.dataset.repositories.map((repo, index) =>
          runSync(
            syncJobFor(809, repo, `minute:${repo.id}`),
            testWorkerDependencies(harness, busy, `busy-${index}`, {
              ...testSyncSettings,
              pointsPerMinute: 4,
            }),
          ),
        ),
      );

      expect(outcomes).toEqual(['waiting', 'waiting']);
      const graphql = busy.requestLog.filter((entry) => entry.route === 'POST /graphql');
      // Four queries, none refused; both repositories wait for the next minute.
      expect(graphql.map((entry) => entry.status)).toEqual([200, 200, 200, 200]);
      const nextMinute = new Date((Math.floor(Date.now() / 60_000) + 1) * 60_000).toISOString();
      for (const repo of busy.dataset.repositories) {
        const state = await harness.get(keys.repository(809, repo.id));
        expect(state?.syncStatus).toBe('waiting');
        expect([nextMinute, new Date(Date.parse(nextMinute) - 60_000).toISOString()]).toContain(
          state?.syncWaitUntil,
        );
      }
    } finally {
      await busy.stop();
    }
  }, 60_000);
});
