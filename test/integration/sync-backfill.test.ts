import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateAppKey } from '#infra/local/github-sim/app-key-file.ts';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { weeksTouched } from '#shared/metrics/weeks.ts';
import { type SyncCompleted, syncCompletedSchema } from '#shared/queue/sync-completed.ts';
import { table } from '#shared/resources.ts';
import { keys } from '#shared/store/keys.ts';
import { testSecret, useLocalStack } from '../support/local-stack.ts';
import { until } from '../support/until.ts';

const installationId = 808;
const daysBack = 30;
let sim: GitHubSimulator;
let privateKeyPath: string;
beforeAll(async () => {
  // The App key as a PEM file, as GitHub hands it out and the local worker reads it.
  const app = await loadOrCreateAppKey(await mkdtemp(join(tmpdir(), 'flowmeter-app-')), 1001);
  privateKeyPath = app.privateKeyPath;
  sim = await startGitHubSimulator({
    credentials: app,
    dataset: {
      seed: 808,
      installationId,
      organisation: 'backfilled',
      repositories: [
        { name: 'core', pullRequests: 900 },
        { name: 'docs', pullRequests: 40 },
      ],
    },
  });
});
const harness = useLocalStack(() => ({
  github: { url: sim.url, appId: sim.appId, privateKeyPath, daysBack },
}));
// This file reads the notifications queue itself (the notifier has its own tests).
beforeAll(() => harness.stopPoller('notifier'));
afterAll(async () => {
  await sim.stop();
});

async function storedPullRequests(repositoryId: number) {
  // Every PR of a repository shares the partition of its first.
  const pk = keys.pullRequest(installationId, repositoryId, 1)[table.partitionKey];
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await harness.db.send(
      new QueryCommand({
        TableName: harness.stack.aws.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': table.partitionKey },
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('sync worker: backfill through the local stack', () => {
  it('installs, syncs every repository to complete, and stores the window field by field', async () => {
    sim.webhooks.configure({ url: harness.stack.webhookUrl, secret: testSecret });

    await sim.activity.installed();
    await until(async () => {
      const repos = await Promise.all(
        sim.dataset.repositories.map((repo) =>
          harness.get(keys.repository(installationId, repo.id)),
        ),
      );
      return repos.every((repo) => repo?.syncStatus === 'complete');
    }, 60_000);

    const windowStart = Date.now() - daysBack * 86_400_000;
    for (const repo of exportDataset(sim.dataset).repositories) {
      const expected = repo.pullRequests.filter(
        (pr) => Date.parse(pr.updatedAt ?? '') >= windowStart,
      );
      const stored = await storedPullRequests(repo.id);
      expect(stored.map((pr) => pr.number).sort((a, b) => Number(a) - Number(b))).toEqual(
        expected.map((pr) => pr.number),
      );
      const byNumber = new Map(stored.map((pr) => [pr.number, pr]));
      for (const pr of expected) {
        expect(byNumber.get(pr.number)).toMatchObject({
          title: pr.title,
          state: pr.state.toLowerCase(),
          authorId: pr.author.id,
          createdAt: pr.createdAt,
          updatedAt: pr.updatedAt,
          mergedAt: pr.mergedAt,
          readyAt: pr.readyAt,
          additions: pr.additions,
          commitCount: pr.commitCount,
          firstCommitAt: pr.commits[0]?.authoredDate ?? null,
        });
        expect(Object.keys(byNumber.get(pr.number)?.reviews as object)).toHaveLength(
          pr.reviews.length,
        );
        expect(byNumber.get(pr.number)?.commitDates).toEqual(
          pr.commits.map((c) => c.committedDate),
        );
        expect(byNumber.get(pr.number)).not.toHaveProperty('followUp');
      }
      const state = await harness.get(keys.repository(installationId, repo.id));
      // The window's PR count came from GitHub's search, in the first chunk's request.
      expect(state).toMatchObject({
        syncStatus: 'complete',
        syncCompleted: expected.length,
        syncTotal: expected.length,
        syncMode: 'backfill',
      });
    }
  }, 90_000);

  it('announces each finished sync once and marks the weeks it touched for the rollup', async () => {
    // Sent with a short delay (see worker-dependencies.ts): collect until both arrived.
    const events: SyncCompleted[] = [];
    await until(async () => {
      const bodies = await harness.drain(harness.stack.aws.notifyQueueUrl);
      events.push(...bodies.map((body) => syncCompletedSchema.parse(body)));
      return events.length >= 2;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    events.push(
      ...(await harness.drain(harness.stack.aws.notifyQueueUrl)).map((body) =>
        syncCompletedSchema.parse(body),
      ),
    );
    const { Items = [] } = await harness.db.send(
      new QueryCommand({
        TableName: harness.stack.aws.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :dirty)',
        ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
        ExpressionAttributeValues: { ':pk': `INST#${installationId}`, ':dirty': 'DIRTYWEEK#' },
      }),
    );

    expect(events.map((e) => [e.repository.fullName, e.mode, e.kind]).sort()).toEqual([
      ['backfilled/core', 'backfill', 'sync-completed'],
      ['backfilled/docs', 'backfill', 'sync-completed'],
    ]);
    const stored = await Promise.all(
      sim.dataset.repositories.map((repo) => storedPullRequests(repo.id)),
    );
    const expectedWeeks = weeksTouched(
      stored.flat() as unknown as Parameters<typeof weeksTouched>[0],
    );
    expect(Items.map((item) => item.week).sort()).toEqual(expectedWeeks);
  });

  it('reports per-repository progress on GET /api/installations/{id}/repos', async () => {
    const response = await fetch(`${harness.stack.url}/api/installations/${installationId}/repos`);
    const body = (await response.json()) as {
      repositories: { fullName: string; status: string; percent: number }[];
    };

    expect(response.status).toBe(200);
    expect(body.repositories.map((r) => [r.fullName, r.status, r.percent]).sort()).toEqual([
      ['backfilled/core', 'complete', 100],
      ['backfilled/docs', 'complete', 100],
    ]);
    expect((await fetch(`${harness.stack.url}/api/installations/abc/repos`)).status).toBe(400);
    expect((await fetch(`${harness.stack.url}/api/installations/999999/repos`)).status).toBe(404);
  });
});
