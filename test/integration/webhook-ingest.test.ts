import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { isoWeek } from '#shared/metrics/weeks.ts';
import { incomingMessage } from '#shared/queue/message.ts';
import { syncJobSchema } from '#shared/queue/sync-job.ts';
import { claimDelivery } from '#shared/store/deliveries.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { keys } from '#shared/store/keys.ts';
import { startingAtOnce } from '#shared/store/sync-admission.ts';
import { useLocalStack } from '../support/local-stack.ts';
import {
  account,
  installationPayload,
  pullRequestPayload,
  repositoriesChangedPayload,
  repository,
  reviewPayload,
} from '../support/payloads.ts';
import { storedPullRequests } from '../support/stored-pull-requests.ts';

const harness = useLocalStack();

const clearMarks = async (installationId: number) =>
  clearDirtyWeeks(
    harness.table,
    installationId,
    await listDirtyWeeks(harness.table, installationId),
  );

async function syncJobs() {
  const bodies = await harness.drain(harness.stack.aws.syncQueueUrl);
  return bodies.map((body) => incomingMessage(syncJobSchema, JSON.stringify(body)));
}

describe('webhook ingest: installations', () => {
  it('records an installation, queues the first syncs and holds the rest back to come in as they end', async () => {
    const repos = Array.from({ length: 23 }, (_, i) => repository(1000 + i));

    const response = await harness.send('installation', installationPayload('created', 1, repos));

    expect(response.status).toBe(200);
    expect(await harness.get(keys.installation(1))).toMatchObject({
      installationId: 1,
      accountLogin: 'acme',
      accountType: 'Organization',
      status: 'active',
    });
    expect(await harness.get(keys.repository(1, 1005))).toMatchObject({
      fullName: 'acme/repo-1005',
      active: true,
    });
    const jobs = await syncJobs();
    expect(jobs.map((job) => job.repository.id).sort()).toEqual(
      repos.slice(0, startingAtOnce).map((repo) => repo.id),
    );
    expect(jobs.every((job) => job.installationId === 1 && job.trigger === 'installation')).toBe(
      true,
    );
    const held = await Promise.all(
      repos.map(async (repo) => (await harness.get(keys.repository(1, repo.id)))?.syncPending),
    );
    expect(held.filter((pending) => pending === true)).toHaveLength(repos.length - startingAtOnce);
  });

  it('does nothing for a redelivery of the same delivery id', async () => {
    const deliveryId = randomUUID();
    const payload = installationPayload('created', 2, [repository(2000)]);
    await harness.send('installation', payload, deliveryId);
    await syncJobs();
    const before = await harness.scan();

    const again = await harness.send('installation', payload, deliveryId);

    expect(again).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect(await syncJobs()).toEqual([]);
    expect(await harness.scan()).toEqual(before);
  });

  it('takes over a delivery whose earlier attempt crashed mid-way', async () => {
    const deliveryId = randomUUID();
    const table = harness.table;
    // An attempt that claimed the delivery and died: its lease ran out an hour ago.
    await claimDelivery(table, {
      deliveryId,
      eventName: 'installation',
      now: new Date(Date.now() - 3_600_000),
      leaseSeconds: 60,
      retentionDays: 7,
    });

    const response = await harness.send(
      'installation',
      installationPayload('created', 3, [repository(3000)]),
      deliveryId,
    );

    expect(response.body).toMatchObject({ outcome: 'processed' });
    expect((await syncJobs()).map((job) => job.repository.id)).toEqual([3000]);
  });

  it('leaves a delivery alone while another attempt holds a live lease', async () => {
    const deliveryId = randomUUID();
    const table = harness.table;
    await claimDelivery(table, {
      deliveryId,
      eventName: 'installation',
      now: new Date(),
      leaseSeconds: 60,
      retentionDays: 7,
    });

    const response = await harness.send(
      'installation',
      installationPayload('created', 4, [repository(4000)]),
      deliveryId,
    );

    expect(response.body).toMatchObject({ outcome: 'duplicate' });
    expect(await harness.get(keys.installation(4))).toBeUndefined();
    expect(await syncJobs()).toEqual([]);
  });

  it('adds and removes repositories, syncing only the added ones', async () => {
    await harness.send('installation', installationPayload('created', 5, [repository(5000)]));
    await syncJobs();

    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(5, [repository(5001)]),
    );
    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(5, [], [repository(5000)]),
    );

    expect((await syncJobs()).map((job) => [job.repository.id, job.trigger])).toEqual([
      [5001, 'repositories-added'],
    ]);
    expect(await harness.get(keys.repository(5, 5000))).toMatchObject({ active: false });
    expect(await harness.get(keys.repository(5, 5001))).toMatchObject({ active: true });
  });

  it('queues no sync work for a suspended installation, and catches up on unsuspend', async () => {
    await harness.send('installation', installationPayload('created', 6, [repository(6000)]));
    await harness.send('installation', installationPayload('suspend', 6));
    await syncJobs();

    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(6, [repository(6001)]),
    );
    expect(await syncJobs()).toEqual([]);
    expect(await harness.get(keys.installation(6))).toMatchObject({ status: 'suspended' });

    await harness.send('installation', installationPayload('unsuspend', 6));
    expect(await harness.get(keys.installation(6))).toMatchObject({ status: 'active' });
    expect((await syncJobs()).map((job) => [job.repository.id, job.trigger]).sort()).toEqual([
      [6000, 'unsuspended'],
      [6001, 'unsuspended'],
    ]);
  });

  it('marks a deleted installation deleted, for good: replayed deliveries bring it back to nothing', async () => {
    await harness.send('installation', installationPayload('created', 7, [repository(7000)]));
    await harness.send('installation', installationPayload('deleted', 7, [repository(7000)]));
    await syncJobs();

    // An operator redelivers the failed deliveries in bulk, the old `created` among them.
    await harness.send('installation', installationPayload('created', 7, [repository(7000)]));
    await harness.send('installation', installationPayload('unsuspend', 7));
    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(7, [repository(7001)]),
    );

    expect(await harness.get(keys.installation(7))).toMatchObject({ status: 'deleted' });
    expect(await syncJobs()).toEqual([]);
    expect(await harness.get(keys.repository(7, 7001))).toBeUndefined();
  });

  it('applies an installation event only if it is newer than the one that set the status', async () => {
    const at = (iso: string) => {
      const payload = installationPayload('suspend', 70);
      return { ...payload, installation: { ...payload.installation, updated_at: iso } };
    };
    await harness.send('installation', { ...at('2026-11-01T10:00:00Z'), action: 'created' });
    await harness.send('installation', at('2026-11-03T10:00:00Z'));
    await syncJobs();

    // The `unsuspend` of the 2nd arrives late, after the `suspend` of the 3rd.
    await harness.send('installation', { ...at('2026-11-02T10:00:00Z'), action: 'unsuspend' });

    expect(await harness.get(keys.installation(70))).toMatchObject({
      status: 'suspended',
      statusChangedAt: '2026-11-03T10:00:00.000Z',
    });
    expect(await syncJobs()).toEqual([]);
  });

  it('keeps a removed repository removed when an older `added` arrives after it, and queues no sync', async () => {
    await harness.send(
      'installation',
      installationPayload('created', 71, [], '2026-11-01T10:00:00Z'),
    );
    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(71, [repository(7100)], [], '2026-11-02T10:00:00Z'),
    );
    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(71, [], [repository(7100)], '2026-11-03T10:00:00Z'),
    );
    await syncJobs();

    // The `added` again, under a new delivery id.
    const replayed = await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(71, [repository(7100)], [], '2026-11-02T10:00:00Z'),
    );

    expect(replayed).toMatchObject({ status: 200, body: { outcome: 'processed' } });
    expect(await harness.get(keys.repository(71, 7100))).toMatchObject({ active: false });
    expect(await syncJobs()).toEqual([]);
  });

  it('keeps the removal of a repository it never recorded, so its late `added` changes nothing', async () => {
    await harness.send(
      'installation',
      installationPayload('created', 72, [], '2026-11-01T10:00:00Z'),
    );
    await syncJobs();
    // The `added` failed; GitHub (or the reconciliation) redelivers it after the `removed`.
    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(72, [], [repository(7200)], '2026-11-03T10:00:00Z'),
    );

    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(72, [repository(7200)], [], '2026-11-02T10:00:00Z'),
    );

    expect(await harness.get(keys.repository(72, 7200))).toMatchObject({
      fullName: 'acme/repo-7200',
      active: false,
    });
    expect(await syncJobs()).toEqual([]);
  });

  it('does not re-add, from a replayed `installation.created`, a repository removed since', async () => {
    const created = installationPayload(
      'created',
      73,
      [repository(7300), repository(7301)],
      '2026-11-01T10:00:00Z',
    );
    await harness.send('installation', created);
    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(73, [], [repository(7301)], '2026-11-03T10:00:00Z'),
    );
    await syncJobs();

    await harness.send('installation', created);

    expect(await harness.get(keys.repository(73, 7301))).toMatchObject({ active: false });
    expect((await syncJobs()).map((job) => job.repository.id)).not.toContain(7301);
  });

  it('keeps the account as the newest event shows it, while a late status change still applies', async () => {
    const renamed = (payload: ReturnType<typeof repositoriesChangedPayload>) => ({
      ...payload,
      installation: { ...payload.installation, account: { ...account, login: 'acme-renamed' } },
    });
    await harness.send(
      'installation',
      installationPayload('created', 74, [], '2026-11-01T10:00:00Z'),
    );
    // The organisation renamed itself; the next event shows it.
    await harness.send(
      'installation_repositories',
      renamed(repositoriesChangedPayload(74, [repository(7400)], [], '2026-11-03T10:00:00Z')),
    );

    // An older event with the old name, and a suspension whose delivery came late.
    await harness.send(
      'installation_repositories',
      repositoriesChangedPayload(74, [], [repository(7401)], '2026-11-02T10:00:00Z'),
    );
    await harness.send(
      'installation',
      installationPayload('suspend', 74, [], '2026-11-02T12:00:00Z'),
    );

    expect(await harness.get(keys.installation(74))).toMatchObject({
      accountLogin: 'acme-renamed',
      status: 'suspended',
    });
  });

  it('lists installations and their repositories on GET /api/installations', async () => {
    await harness.send(
      'installation',
      installationPayload('created', 8, [repository(8000, 'api')]),
    );

    const response = await fetch(`${harness.stack.url}/api/installations`);
    const body = (await response.json()) as { installations: { installationId: number }[] };

    expect(response.status).toBe(200);
    expect(body.installations.find((inst) => inst.installationId === 8)).toEqual({
      installationId: 8,
      account: { login: 'acme', id: 100, type: 'Organization' },
      status: 'active',
      repositorySelection: 'selected',
      updatedAt: expect.any(String),
      // Nobody changed them: the defaults.
      delivery: {
        source: 'deployments',
        productionPattern: '^(prod|production)$',
        incidentRules: { labelPattern: 'incident', windowHours: 24 },
      },
      // No sync has asked GitHub anything yet.
      githubBudget: null,
      repositories: [{ id: 8000, fullName: 'acme/api', private: false, active: true }],
    });
  });
});

describe('webhook ingest: pull requests', () => {
  const repo = repository(9000, 'service');

  it('stores the pull request from the payload', async () => {
    const response = await harness.send(
      'pull_request',
      pullRequestPayload(9, repo, { number: 1, updatedAt: '2026-11-02T10:00:00Z' }),
    );

    expect(response.status).toBe(200);
    expect(await harness.get(keys.pullRequest(9, 9000, 1))).toMatchObject({
      repositoryFullName: 'acme/service',
      number: 1,
      state: 'open',
      authorLogin: 'author',
      additions: 12,
      reviews: {},
    });
    // Late data: the week it was opened in must be rolled up again.
    expect(await harness.get(keys.dirtyWeek(9, isoWeek('2026-11-01T08:00:00Z')))).toMatchObject({
      installationId: 9,
    });
  });

  it('ignores an older payload that arrives after a newer one', async () => {
    await harness.send(
      'pull_request',
      pullRequestPayload(9, repo, {
        number: 2,
        updatedAt: '2026-11-03T10:00:00Z',
        mergedAt: '2026-11-03T10:00:00Z',
      }),
    );

    await clearMarks(9);

    await harness.send(
      'pull_request',
      pullRequestPayload(9, repo, { number: 2, updatedAt: '2026-11-02T10:00:00Z', title: 'old' }),
    );

    expect(await harness.get(keys.pullRequest(9, 9000, 2))).toMatchObject({
      state: 'merged',
      title: 'Change 2',
    });
    // Nothing changed: no week to roll up again.
    expect(await listDirtyWeeks(harness.table, 9)).toEqual([]);
  });

  it('keeps a dismissed review dismissed when its submission arrives again, and marks nothing', async () => {
    const base = pullRequestPayload(9, repo, { number: 5, updatedAt: '2026-11-02T10:00:00Z' });
    const review = (state: string, updatedAt: string) =>
      reviewPayload(
        { ...base, pull_request: { ...base.pull_request, updated_at: updatedAt } },
        {
          id: 78,
          user: { id: 502, login: 'reviewer', type: 'User' },
          state,
          submittedAt: '2026-11-02T11:00:00Z',
        },
        state === 'dismissed' ? 'dismissed' : 'submitted',
      );
    await harness.send('pull_request', base);
    await harness.send('pull_request_review', review('approved', '2026-11-02T11:00:00Z'));
    await harness.send('pull_request_review', review('dismissed', '2026-11-02T12:00:00Z'));
    await clearMarks(9);

    await harness.send('pull_request_review', review('approved', '2026-11-02T11:00:00Z'));

    expect((await harness.get(keys.pullRequest(9, 9000, 5)))?.reviews).toMatchObject({
      '78': { state: 'dismissed' },
    });
    expect(await listDirtyWeeks(harness.table, 9)).toEqual([]);
  });

  it('keeps a pull request on the indexes its state calls for, through draft, ready, merged and reopened', async () => {
    const event = (action: string, updatedAt: string, changes: object) => {
      const payload = pullRequestPayload(9, repo, { number: 4, updatedAt });
      return { ...payload, action, pull_request: { ...payload.pull_request, ...changes } };
    };
    const indexed = async () => {
      const { openedAt, teamOpened, closedAt, teamClosed } =
        (await harness.get(keys.pullRequest(9, 9000, 4))) ?? {};
      return { openedAt, teamOpened, closedAt, teamClosed };
    };
    const installation = keys.installationPullRequests(9);

    await harness.send('pull_request', event('opened', '2026-11-01T08:00:00Z', { draft: true }));
    expect(await indexed()).toEqual({});

    await harness.send('pull_request', event('ready_for_review', '2026-11-02T09:00:00Z', {}));
    expect(await indexed()).toEqual({ openedAt: '2026-11-02T09:00:00Z', teamOpened: installation });

    const merged = '2026-11-03T10:00:00Z';
    await harness.send(
      'pull_request',
      event('closed', merged, { state: 'closed', closed_at: merged, merged_at: merged }),
    );
    // The close payload does not know when the PR became ready: the stored time stays.
    expect(await indexed()).toEqual({
      openedAt: '2026-11-02T09:00:00Z',
      teamOpened: installation,
      closedAt: merged,
      teamClosed: installation,
    });

    await harness.send('pull_request', event('reopened', '2026-11-04T11:00:00Z', {}));
    expect(await indexed()).toEqual({ openedAt: '2026-11-02T09:00:00Z', teamOpened: installation });
  });

  it('folds reviews into the pull request, the latest state of each winning', async () => {
    const base = pullRequestPayload(9, repo, { number: 3, updatedAt: '2026-11-02T10:00:00Z' });
    const review = (state: string) =>
      reviewPayload(
        base,
        {
          id: 77,
          user: { id: 502, login: 'reviewer', type: 'User' },
          state,
          submittedAt: '2026-11-02T11:00:00Z',
        },
        state === 'dismissed' ? 'dismissed' : 'submitted',
      );
    await harness.send('pull_request', base);

    await harness.send('pull_request_review', review('approved'));
    await harness.send('pull_request_review', review('dismissed'));

    const stored = await harness.get(keys.pullRequest(9, 9000, 3));
    expect(stored?.additions).toBe(12);
    expect(stored?.reviews).toEqual({
      '77': {
        reviewId: 77,
        reviewerId: 502,
        reviewerLogin: 'reviewer',
        reviewerType: 'User',
        state: 'dismissed',
        submittedAt: '2026-11-02T11:00:00Z',
      },
    });
  });
});

describe('webhook ingest: a pull request reviewed over and over', () => {
  /** A PR with one more review than fit in its item: each standalone review comment is a review of its own. */
  async function reviewedOverAndOver(installationId: number, repo: ReturnType<typeof repository>) {
    const pr = pullRequestPayload(installationId, repo, {
      number: 1,
      updatedAt: '2026-11-02T10:00:00Z',
    });
    await harness.send('pull_request', pr);
    const review = (id: number, state = 'commented') =>
      reviewPayload(
        pr,
        {
          id,
          user: { id: 500 + (id % 3), login: `reviewer-${id % 3}`, type: 'User' },
          state,
          submittedAt: '2026-11-02T11:00:00Z',
        },
        state === 'dismissed' ? 'dismissed' : 'submitted',
      );
    for (let id = 1; id <= 101; id++) await harness.send('pull_request_review', review(id));
    return review;
  }

  it('moves its reviews apart when they outgrow its item, and keeps every one', async () => {
    await reviewedOverAndOver(93, repository(9300, 'chatty'));

    expect(await harness.get(keys.pullRequest(93, 9300, 1))).toMatchObject({
      reviewsApart: true,
      reviews: {},
    });
    const [stored] = await storedPullRequests(harness.table, 93, 9300);
    expect(
      Object.keys(stored?.reviews ?? {})
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
  });

  it('keeps a dismissed review kept apart dismissed when its submission arrives again', async () => {
    const review = await reviewedOverAndOver(94, repository(9400, 'chattier'));
    await harness.send('pull_request_review', review(7, 'dismissed'));

    await harness.send('pull_request_review', review(7));

    const [stored] = await storedPullRequests(harness.table, 94, 9400);
    expect(stored?.reviews['7']?.state).toBe('dismissed');
  });
});

describe('webhook ingest: what the lost deliveries left out', () => {
  it('records the repository and installation of a PR nobody told us about, and backfills it once', async () => {
    const repo = repository(9100, 'orphan');
    await syncJobs();

    await harness.send(
      'pull_request',
      pullRequestPayload(91, repo, { number: 1, updatedAt: '2026-11-02T10:00:00Z' }),
    );
    await harness.send(
      'pull_request',
      pullRequestPayload(91, repo, { number: 2, updatedAt: '2026-11-02T11:00:00Z' }),
    );

    expect(await harness.get(keys.installation(91))).toMatchObject({
      accountLogin: 'acme',
      status: 'active',
    });
    expect(await harness.get(keys.repository(91, 9100))).toMatchObject({
      fullName: 'acme/orphan',
      active: true,
    });
    expect((await syncJobs()).map((job) => [job.repository.id, job.trigger])).toEqual([
      [9100, 'repositories-added'],
    ]);
  });
});

describe('webhook ingest: renamed and transferred repositories', () => {
  it('follows a rename, from its own event or from the next pull request event', async () => {
    await harness.send(
      'installation',
      installationPayload('created', 92, [repository(9200, 'old-name')]),
    );
    await syncJobs();

    await harness.send('repository', {
      action: 'renamed',
      installation: { id: 92 },
      repository: repository(9200, 'new-name'),
      changes: { repository: { name: { from: 'old-name' } } },
    });
    expect(await harness.get(keys.repository(92, 9200))).toMatchObject({
      fullName: 'acme/new-name',
      active: true,
    });

    // A transfer whose own delivery was lost: the PR event carries the name.
    const moved = { ...repository(9200, 'moved'), full_name: 'new-owner/moved' };
    await harness.send(
      'pull_request',
      pullRequestPayload(92, moved, { number: 3, updatedAt: '2026-11-02T10:00:00Z' }),
    );
    expect(await harness.get(keys.repository(92, 9200))).toMatchObject({
      fullName: 'new-owner/moved',
    });
    expect(await syncJobs()).toEqual([]);
  });
});

describe('webhook ingest: renamed repositories, out of order', () => {
  const renamed = (name: string, updatedAt: string) => ({
    action: 'renamed',
    installation: { id: 95 },
    repository: repository(9500, name, updatedAt),
  });
  const stored = async () => (await harness.get(keys.repository(95, 9500)))?.fullName;

  it('keeps the newer name when an older event carrying another arrives after it', async () => {
    await harness.send(
      'installation',
      installationPayload('created', 95, [repository(9500, 'one')]),
    );
    await harness.send('repository', renamed('two', '2026-11-02T10:00:00Z'));
    await harness.send('repository', renamed('three', '2026-11-03T10:00:00Z'));

    // The first rename again, and a pull request event sent before the second.
    await harness.send('repository', renamed('two', '2026-11-02T10:00:00Z'));
    await harness.send(
      'pull_request',
      pullRequestPayload(95, repository(9500, 'two', '2026-11-02T12:00:00Z'), {
        number: 1,
        updatedAt: '2026-11-02T12:00:00Z',
      }),
    );

    expect(await stored()).toBe('acme/three');
  });
});

describe('webhook ingest: bad input', () => {
  const payload = installationPayload('created', 50, [repository(50_000)]);
  const body = JSON.stringify(payload);

  async function post(headers: Record<string, string>, rawBody: string | Buffer = body) {
    const response = await fetch(harness.stack.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'installation',
        'x-github-delivery': randomUUID(),
        ...headers,
      },
      body: rawBody,
    });
    return { status: response.status, body: (await response.json()) as { error?: string } };
  }

  async function expectNothingChanged(act: () => Promise<unknown>) {
    await syncJobs();
    const before = await harness.scan();
    await act();
    expect(await harness.scan()).toEqual(before);
    expect(await syncJobs()).toEqual([]);
  }

  it.each([
    ['no signature', async (): Promise<Record<string, string>> => ({})],
    [
      'a signature made with the wrong secret',
      async () => ({ 'x-hub-signature-256': await sign('wrong-secret', body) }),
    ],
    ['a malformed signature', async () => ({ 'x-hub-signature-256': 'sha256=zz' })],
  ])('answers 401 to %s and stores nothing', async (_case, signatureHeader) => {
    const headers = await signatureHeader();

    await expectNothingChanged(async () => {
      expect((await post(headers)).status).toBe(401);
    });
  });

  it('answers 401 to a tampered body', async () => {
    const signature = await sign('integration-test-secret', body);

    await expectNothingChanged(async () => {
      const tampered = body.replace('"acme"', '"evil"');
      expect((await post({ 'x-hub-signature-256': signature }, tampered)).status).toBe(401);
    });
  });

  it('answers 400 to truncated JSON', async () => {
    const truncated = body.slice(0, body.length / 2);
    const signature = await sign('integration-test-secret', truncated);

    await expectNothingChanged(async () => {
      const response = await post({ 'x-hub-signature-256': signature }, truncated);
      expect(response).toEqual({ status: 400, body: { error: expect.stringMatching(/JSON/) } });
    });
  });

  it('answers 400 to a signed payload without the fields Flowmeter needs', async () => {
    const incomplete = JSON.stringify({ action: 'created', installation: { id: 51 } });
    const signature = await sign('integration-test-secret', incomplete);

    await expectNothingChanged(async () => {
      const response = await post({ 'x-hub-signature-256': signature }, incomplete);
      expect(response).toEqual({
        status: 400,
        body: {
          error:
            '[flowmeter] installation payload is missing what Flowmeter needs: installation.account: Invalid input: expected object, received undefined',
        },
      });
    });
  });

  it('answers 400 when the event header is missing', async () => {
    const signature = await sign('integration-test-secret', body);
    const response = await fetch(harness.stack.webhookUrl, {
      method: 'POST',
      headers: { 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signature },
      body,
    });

    expect(response.status).toBe(400);
  });

  it('answers 413 to a body over 25 MB', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(25 * 1024 * 1024) });

    await expectNothingChanged(async () => {
      const response = await post({ 'x-hub-signature-256': await sign('x', 'y') }, huge);
      expect(response.status).toBe(413);
    });
  });

  it('answers 202 to an event Flowmeter does not use, and 200 to ping', async () => {
    await expectNothingChanged(async () => {
      expect((await harness.send('star', { action: 'created' })).status).toBe(202);
      expect(
        (await harness.send('team', { ...payload, action: 'added_to_repository' })).status,
      ).toBe(202);
      expect((await harness.send('ping', { zen: 'Keep it logically awesome.' })).status).toBe(200);
    });
  });
});
