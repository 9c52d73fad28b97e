import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { deliveryOf } from '#infra/local/github-sim/delivery.ts';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { resumeInterruptedSyncs } from '#infra/local/resume-syncs.ts';
import type { SyncJob } from '#shared/queue/sync-job.ts';
import {
  deactivateRepositories,
  recordInstallation,
  recordRepositories,
} from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { upsertPullRequest } from '#shared/store/pull-requests.ts';
import { runSync, type SyncOutcome } from '#shared/sync/run-sync.ts';
import type { SyncStep } from '#shared/sync/sync-run.ts';
import { acquireSyncLease } from '#shared/sync/sync-state.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { storedPullRequests } from '../support/stored-pull-requests.ts';
import { driveSync, testSyncSettings, testWorkerDependencies } from '../support/sync-driver.ts';
import { enqueueSyncJobs, syncJobFor } from '../support/sync-jobs.ts';
import { expectRepositorySyncedExactly } from '../support/synced-exactly.ts';

const installationId = 606;
const repoNames = [
  'crash-fetched',
  'crash-stored',
  'crash-advanced',
  'twice',
  'race',
  'heavy',
  'limited',
  'doomed',
  'growing',
  'removed',
  'restarted',
  'flaky',
  'handover',
  'timing-out',
  'refused',
  'overtaken',
  'delivery-fetched',
  'delivery-stored',
];
/** Large enough to hold PRs with more than a nested page of reviews or commits. */
const followUpRepo = 'crash-follow-up';
let sim: GitHubSimulator;
beforeAll(async () => {
  sim = await startGitHubSimulator({
    dataset: {
      seed: 606,
      installationId,
      organisation: 'resilient',
      repositories: [
        ...repoNames.map((name) => ({ name, pullRequests: 130 })),
        { name: followUpRepo, pullRequests: 1000 },
      ],
    },
  });
});
const harness = useLocalStack();
beforeAll(async () => {
  const ref = harness.table;
  const org = sim.dataset.organisation;
  await recordInstallation(ref, { id: installationId, account: org }, new Date(), 'active');
  await recordRepositories(
    ref,
    installationId,
    sim.dataset.repositories.map(asPayload),
    new Date(),
  );
});
afterAll(async () => {
  await sim.stop();
});

/** A simulated repository as a webhook payload names it. */
function asPayload(repo: { id: number; name: string; fullName: string; private: boolean }) {
  return { id: repo.id, name: repo.name, full_name: repo.fullName, private: repo.private };
}

function repo(name: string) {
  const found = sim.dataset.repository(`resilient/${name}`);
  if (!found) throw new Error(name);
  return found;
}

function job(
  name: string,
  key = `test:${name}`,
  trigger: SyncJob['trigger'] = 'installation',
): SyncJob {
  return syncJobFor(installationId, repo(name), key, trigger);
}

async function enqueue(...jobs: SyncJob[]) {
  await enqueueSyncJobs(harness.sqs, harness.stack.aws.syncQueueUrl, ...jobs);
}

const state = (name: string) => harness.get(keys.repository(installationId, repo(name).id));
const statusIs =
  (name: string, ...statuses: string[]) =>
  async () =>
    statuses.includes(String((await state(name))?.syncStatus));

const stored = (name: string) => storedPullRequests(harness.table, installationId, repo(name).id);

/** The repository's sync ended exactly as a clean run does. */
const expectSyncedExactly = (name: string) =>
  expectRepositorySyncedExactly(harness, sim.dataset, installationId, `resilient/${name}`);

describe('sync worker resilience', () => {
  it.each(['fetched', 'stored', 'advanced'] as SyncStep[])(
    'crashes after %s in the second chunk, is redelivered, and ends exactly as a clean run',
    async (step) => {
      await enqueue(job(`crash-${step}`));

      const { crashes } = await driveSync(harness, sim, {
        crashAt: { step, occurrence: 2 },
        done: statusIs(`crash-${step}`, 'complete'),
      });

      expect(crashes).toBe(1);
      await expectSyncedExactly(`crash-${step}`);
    },
  );

  it.each([
    ['fetched', 4],
    ['stored', 4],
  ] as [SyncStep, number][])(
    'crashes after %s in a chunk of deployments alone (PRs all read), is redelivered, and ends exactly as a clean run',
    async (step, occurrence) => {
      const name = `delivery-${step}`;
      await enqueue(job(name));

      // 130 PRs are three chunks; half a year of deployments (about 200, fifty a page) goes on after them.
      const { crashes } = await driveSync(harness, sim, {
        crashAt: { step, occurrence },
        done: statusIs(name, 'complete'),
      });

      expect(crashes).toBe(1);
      expect(deliveryOf(sim.dataset, repo(name)).deployments.length).toBeGreaterThan(
        (occurrence - 1) * 50,
      );
      await expectSyncedExactly(name);
    },
  );

  it('carries a run on through a continuation picked up before its predecessor released the lease', async () => {
    // Pages of ten: the recent part takes chunks enough for a continuation within it.
    const settings = { ...testSyncSettings, maxPageSize: 10 };
    // One chunk, then the time budget runs out and the worker queues its continuation.
    let checks = 0;
    const first = testWorkerDependencies(harness, sim, 'first', settings, () =>
      checks++ < 1 ? 240_000 : 0,
    );
    const queue = first.enqueue;
    const seen: SyncOutcome[] = [];
    // SQS hands the continuation to a second worker at once, before the first returns.
    first.enqueue = async (continuation, delaySeconds) => {
      await queue(continuation, delaySeconds);
      seen.push(
        await runSync(continuation, testWorkerDependencies(harness, sim, 'second', settings)),
      );
    };

    seen.push(await runSync(job('handover'), first));

    // The second carried the recent part to its end; the deep phase, let in, ends the run.
    expect(seen).toEqual(['parked', 'continued']);
    await driveSync(harness, sim, { settings, done: statusIs('handover', 'complete') });
    await expectSyncedExactly('handover');
  });

  it('crashes after merging follow-up pages, is redelivered, and merges them exactly once', async () => {
    // The chunk after the page holding the first PR with 100+ commits merges its next page
    // (commits, unlike reviews keyed by id, would show a second merge as duplicates).
    const newestFirst = (
      exportDataset(sim.dataset).repositories.find(
        (r) => r.fullName === `resilient/${followUpRepo}`,
      )?.pullRequests ?? []
    ).sort((a, b) => Date.parse(b.updatedAt ?? '') - Date.parse(a.updatedAt ?? ''));
    const heavy = newestFirst.findIndex((pr) => pr.commits.length > 100);
    expect(heavy).toBeGreaterThanOrEqual(0);
    await enqueue(job(followUpRepo));

    const { crashes } = await driveSync(harness, sim, {
      crashAt: { step: 'stored', occurrence: Math.floor(heavy / 50) + 2 },
      done: statusIs(followUpRepo, 'complete'),
    });

    expect(crashes).toBe(1);
    await expectSyncedExactly(followUpRepo);
  });

  it('does nothing more for the same message delivered twice', async () => {
    await enqueue(job('twice'), job('twice'));
    const requestsBefore = sim.requestLog.length;

    const { outcomes } = await driveSync(harness, sim, {
      done: async () => (await statusIs('twice', 'complete')()) && (await queueEmpty()),
    });

    // The second copy carries the parked run on, or (after it) finds the run done: nothing more.
    expect(outcomes.slice(0, 2)).toEqual(['parked', 'complete']);
    expect(['skipped', 'duplicate']).toContain(outcomes[2]);
    expect(outcomes).toHaveLength(3);
    await expectSyncedExactly('twice');
    expect(sim.requestLog.length - requestsBefore).toBeGreaterThan(0);
  });

  it('lets one of two racing workers sync and the other stand aside', async () => {
    const deps = (owner: string) => testWorkerDependencies(harness, sim, owner, testSyncSettings);

    const outcomes = await Promise.all([
      runSync(job('race'), deps('a')),
      runSync(job('race', 'test:race:again'), deps('b')),
    ]);

    expect(outcomes.sort()).toEqual(['busy', 'parked']);
    await driveSync(harness, sim, { done: statusIs('race', 'complete') });
    await expectSyncedExactly('race');
  });

  it('halves the page size on 502s for heavy queries and still completes', async () => {
    // A chunk costs ~211 nodes per PR: pages of 50 and 25 time out, 12 and fewer pass.
    sim.setFaults({ graphqlMaxNodes: 3000 });
    try {
      await enqueue(job('heavy'));
      await driveSync(harness, sim, { done: statusIs('heavy', 'complete') });
    } finally {
      sim.setFaults({});
    }

    await expectSyncedExactly('heavy');
    expect(Number((await state('heavy'))?.syncPageSize)).toBeLessThan(50);
  });

  it('halves the page size when GitHub answers timeouts as 200 with errors, and still completes', async () => {
    sim.setFaults({ graphqlMaxNodes: 3000, graphqlTimeoutStatus: 200 });
    try {
      await enqueue(job('timing-out'));
      await driveSync(harness, sim, { done: statusIs('timing-out', 'complete') });
    } finally {
      sim.setFaults({});
    }

    await expectSyncedExactly('timing-out');
    expect(Number((await state('timing-out'))?.syncPageSize)).toBeLessThan(50);
  });

  it('completes when GitHub refuses the App one field of every PR, and notes it', async () => {
    sim.setFaults({ forbiddenPullRequestFields: ['labels'] });
    try {
      await enqueue(job('refused'));
      const { counted } = await driveSync(harness, sim, { done: statusIs('refused', 'complete') });
      expect(counted.PartialAnswers).toBe(130);
    } finally {
      sim.setFaults({});
    }

    expect(await state('refused')).toMatchObject({
      syncStatus: 'complete',
      syncCompleted: 130,
      syncNote: expect.stringMatching(/^FORBIDDEN at repository\.pullRequests\.nodes\.\d+\.labels/),
    });
  });

  it('keeps the newer copy of a PR a webhook records while the sync fetches it', async () => {
    const name = 'overtaken';
    const newest = exportDataset(sim.dataset)
      .repositories.find((r) => r.fullName === `resilient/${name}`)
      ?.pullRequests.sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)))[0];
    if (!newest) throw new Error('no PRs');
    const later = new Date(Date.parse(String(newest.updatedAt)) + 3_600_000).toISOString();
    await enqueue(job(name));

    let sent = false;
    await driveSync(harness, sim, {
      done: statusIs(name, 'complete'),
      // Between the first chunk's fetch and its write, the PR is renamed and a webhook records it.
      afterStep: (step) => {
        if (step !== 'fetched' || sent) return;
        sent = true;
        void upsertPullRequest(harness.table, {
          installationId,
          repositoryId: repo(name).id,
          repositoryFullName: `resilient/${name}`,
          number: newest.number,
          title: 'renamed while the sync ran',
          state: 'open',
          draft: false,
          authorId: newest.author.id,
          authorLogin: newest.author.login,
          authorType: newest.author.type,
          createdAt: String(newest.createdAt),
          updatedAt: later,
          closedAt: null,
          mergedAt: null,
          labels: [],
          baseRef: 'main',
        });
      },
    });

    expect(
      await harness.get(keys.pullRequest(installationId, repo(name).id, newest.number)),
    ).toMatchObject({
      title: 'renamed while the sync ran',
      updatedAt: later,
    });
  });

  it('rides out a short GitHub outage (503s) with retries and completes exactly', async () => {
    sim.setFaults({ failNext: 2 });
    const failuresBefore = sim.requestLog.filter((entry) => entry.status >= 500).length;
    try {
      await enqueue(job('flaky'));
      await driveSync(harness, sim, { done: statusIs('flaky', 'complete') });
    } finally {
      sim.setFaults({});
    }

    expect(sim.requestLog.filter((entry) => entry.status >= 500).length).toBeGreaterThan(
      failuresBefore,
    );
    await expectSyncedExactly('flaky');
  }, 60_000);

  it('honours a secondary limit and completes', async () => {
    sim.setFaults({ secondary: { pointsPerMinute: 3, retryAfterSeconds: 1 } });
    const release = setTimeout(() => sim.setFaults({}), 1500);
    try {
      await enqueue(job('limited'));
      await driveSync(harness, sim, { done: statusIs('limited', 'complete') });
    } finally {
      clearTimeout(release);
      sim.setFaults({});
    }

    await expectSyncedExactly('limited');
  });

  it('ends as failed with the reason when the repository is deleted mid-sync, without retries', async () => {
    await enqueue(job('doomed'));

    const { outcomes, announced } = await driveSync(harness, sim, {
      done: statusIs('doomed', 'failed'),
      afterStep: (step) => {
        if (step === 'advanced') sim.setFaults({ goneRepositories: ['resilient/doomed'] });
      },
    }).finally(() => sim.setFaults({}));

    // Gone after its first chunk (which may have ended its recent part, and parked it).
    expect(outcomes.filter((outcome) => outcome !== 'parked')).toEqual(['failed']);
    expect(await state('doomed')).toMatchObject({
      syncStatus: 'failed',
      syncLastError: expect.stringMatching(/not found/),
      syncCompleted: 50,
    });
    expect(await queueEmpty()).toBe(true);
    // The notifier hears of it: a first backfill whose last repository failed is mailed too.
    expect(announced).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        repository: expect.objectContaining({ fullName: 'resilient/doomed' }),
        pullRequests: 50,
      }),
    ]);
  });

  it('stops a run whose repository is removed from the App mid-sync', async () => {
    const ref = harness.table;
    await enqueue(job('removed'));

    const { outcomes, announced } = await driveSync(harness, sim, {
      // Pages of ten: removed during the recent part, before the run parks.
      settings: { maxPageSize: 10 },
      chunksPerInvocation: 1,
      timeoutMs: 20_000,
      afterStep: (step) => {
        if (step === 'advanced')
          void deactivateRepositories(
            ref,
            installationId,
            [asPayload(repo('removed'))],
            new Date(),
          );
      },
      done: statusIs('removed', 'failed'),
    });

    expect(outcomes.at(-1)).toBe('skipped');
    expect(await state('removed')).toMatchObject({
      syncStatus: 'failed',
      syncLastError: expect.stringMatching(/removed/),
    });
    expect(announced.map((event) => event.outcome)).toEqual(['failed']);
  });

  it('resumes a sync whose process died holding the lease, when the local stack restarts', async () => {
    const ref = harness.table;
    await enqueue(job('restarted'));
    // The process dies after its first chunk: its lease stays, its message stays in flight.
    await driveSync(harness, sim, {
      chunksPerInvocation: 1,
      done: async () => Number((await state('restarted'))?.syncCompleted) > 0,
    });
    await acquireSyncLease(
      ref,
      { installationId, repositoryId: repo('restarted').id },
      'dead-process',
      Date.now(),
      3_600_000,
    );
    await harness.drain(harness.stack.aws.syncQueueUrl);

    const resumed = await resumeInterruptedSyncs(ref, harness.sqs, harness.stack.aws.syncQueueUrl);
    await driveSync(harness, sim, { done: statusIs('restarted', 'complete') });

    expect(resumed).toEqual(['resilient/restarted']);
    await expectSyncedExactly('restarted');
  });

  it('syncs only what changed since the last sync', async () => {
    await enqueue(job('growing'));
    await driveSync(harness, sim, { done: statusIs('growing', 'complete') });
    const backfillRequests = Number((await state('growing'))?.syncRequests);
    await sim.activity.open('resilient/growing').catch(() => undefined);
    const opened = repo('growing').pullRequestCount;
    await sim.activity.review('resilient/growing', 3, 'APPROVED').catch(() => undefined);
    const requestsBefore = sim.requestLog.length;

    await enqueue(job('growing', 'test:growing:reconcile', 'reconcile'));
    await driveSync(harness, sim, {
      done: async () =>
        (await state('growing'))?.syncLastJobKey === 'test:growing:reconcile' &&
        (await statusIs('growing', 'complete')()),
    });

    expect(await state('growing')).toMatchObject({ syncMode: 'incremental', syncCompleted: 2 });
    // Only the newest page is read; a backfill of the same repository took several.
    const graphqlCalls = sim.requestLog
      .slice(requestsBefore)
      .filter((entry) => entry.route === 'POST /graphql');
    expect((await state('growing'))?.syncRequests).toBe(graphqlCalls.length);
    expect(graphqlCalls.length).toBeLessThan(backfillRequests);
    const items = await stored('growing');
    expect(items.map((item) => item.number)).toContain(opened);
  });
});

async function queueEmpty(): Promise<boolean> {
  const { Attributes = {} } = await harness.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: harness.stack.aws.syncQueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Attributes.ApproximateNumberOfMessages === '0' &&
    Attributes.ApproximateNumberOfMessagesNotVisible === '0'
  );
}
