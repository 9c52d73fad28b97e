import { describe, expect, it } from 'vitest';
import { table } from '#shared/resources.ts';
import { applyRetention } from '#shared/retention/apply-retention.ts';
import { storeReportDay } from '#shared/store/copilot-usage.ts';
import { recordDeployment } from '#shared/store/deployments.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import {
  deactivateRepositories,
  recordInstallation,
  recordRepositories,
} from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { upsertPullRequest } from '#shared/store/pull-requests.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { dyingTable } from '../support/dying-table.ts';
import { useLocalStack } from '../support/local-stack.ts';
import {
  account,
  installationPayload,
  pullRequestPayload,
  repository,
} from '../support/payloads.ts';

const harness = useLocalStack();
const now = new Date('2026-11-26T04:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

/** A production deployment with its success status, as the deployment webhooks store them. */
async function deployment(installationId: number, repositoryId: number) {
  await recordDeployment(
    harness.table,
    {
      installationId,
      repositoryId,
      repositoryFullName: `acme/repo-${repositoryId}`,
      deploymentId: 9_000_000_000 + repositoryId,
      environment: 'production',
      sha: 'd'.repeat(40),
      ref: 'main',
      creatorLogin: 'someone',
      createdAt: '2026-09-02T11:00:00Z',
    },
    {
      deploymentId: 9_000_000_000 + repositoryId,
      state: 'success',
      createdAt: '2026-09-02T11:05:00Z',
    },
    daysAgo(60),
  );
}

async function pullRequest(installationId: number, repositoryId: number, number: number) {
  await upsertPullRequest(harness.table, {
    installationId,
    repositoryId,
    repositoryFullName: `acme/repo-${repositoryId}`,
    number,
    title: 'a change',
    state: 'merged',
    draft: false,
    authorId: 501,
    authorLogin: 'someone',
    authorType: 'User',
    createdAt: '2026-09-01T10:00:00Z',
    updatedAt: '2026-09-02T10:00:00Z',
    closedAt: '2026-09-02T10:00:00Z',
    mergedAt: '2026-09-02T10:00:00Z',
    labels: [],
    baseRef: 'main',
  });
}

/** Every item stored under an installation's partitions. */
async function itemsOf(installationId: number) {
  return (await harness.scan()).filter((item) =>
    String(item[table.partitionKey]).match(new RegExp(`^INST#${installationId}(#|$)`)),
  );
}

describe('applyRetention', () => {
  it('deletes what the retention period no longer keeps, and nothing else', async () => {
    const ref = harness.table;
    // Uninstalled 40 days ago, with PRs, recipients and their tokens.
    await recordInstallation(ref, { id: 81, account }, daysAgo(45), 'active');
    await recordRepositories(ref, 81, [repository(8100)], daysAgo(45));
    await pullRequest(81, 8100, 1);
    await deployment(81, 8100);
    await updateSettings(ref, 81, { recipients: ['lead@acme.example'] });
    // And a day of Copilot usage, with a user's login.
    await storeReportDay(
      ref,
      81,
      {
        day: '2026-09-01',
        outcome: 'reported',
        organisation: null,
        users: [
          {
            day: '2026-09-01',
            userId: 501,
            login: 'someone',
            interactions: 1,
            codeSuggestions: 2,
            codeAcceptances: 1,
            linesSuggested: 4,
            linesAccepted: 2,
            usedChat: false,
            usedAgent: false,
          },
        ],
      },
      daysAgo(45),
    );
    await recordInstallation(ref, { id: 81, account }, daysAgo(40), 'deleted');
    // Uninstalled 10 days ago: still within the period, a reinstall would find it all.
    await recordInstallation(ref, { id: 82, account }, daysAgo(10), 'deleted');
    await recordRepositories(ref, 82, [repository(8200)], daysAgo(10));
    await pullRequest(82, 8200, 1);
    // Active, one repository removed 40 days ago, one 5 days ago, one still on the App.
    await recordInstallation(ref, { id: 83, account }, daysAgo(60), 'active');
    await recordRepositories(
      ref,
      83,
      [8301, 8302, 8303].map((id) => repository(id)),
      daysAgo(60),
    );
    for (const id of [8301, 8302, 8303]) await pullRequest(83, id, 1);
    await deployment(83, 8301);
    await deactivateRepositories(ref, 83, [repository(8301)], daysAgo(40));
    await deactivateRepositories(ref, 83, [repository(8302)], daysAgo(5));
    // Storing them marked weeks; what follows is about the marks the purge makes.
    await clearDirtyWeeks(ref, 83, await listDirtyWeeks(ref, 83));
    const log: string[] = [];

    const outcome = await applyRetention(ref, now, 30, (message) => log.push(message));

    expect(outcome).toEqual({ installations: 1, repositories: 1 });
    // Nothing of it but that it was deleted: a replay of its events must not bring it back.
    expect(await itemsOf(81)).toEqual([
      { ...keys.installation(81), installationId: 81, status: 'deleted' },
    ]);
    expect((await itemsOf(82)).length).toBeGreaterThan(0);
    const kept = (await itemsOf(83)).map(
      (item) => `${item[table.partitionKey]} ${item[table.sortKey]}`,
    );
    expect(kept.some((key) => key.includes('8301'))).toBe(false);
    expect(kept.filter((key) => key.startsWith('INST#83#REPO#'))).toEqual([
      'INST#83#REPO#8302 PR#0000000001',
      'INST#83#REPO#8303 PR#0000000001',
    ]);
    // The weeks the removed repository's PR fed are rolled up again without it.
    expect((await listDirtyWeeks(ref, 83)).map((mark) => mark.week)).toEqual(['2026-W36']);
    expect(log).toEqual(['uninstalled installation purged', 'removed repository purged']);

    // Run again: nothing left to do.
    expect(await applyRetention(ref, now, 30, () => undefined)).toEqual({
      installations: 0,
      repositories: 0,
    });
  });

  it('keeps a purged installation deleted: replayed events of it bring nothing back', async () => {
    const ref = harness.table;
    await recordInstallation(ref, { id: 85, account }, daysAgo(45), 'active');
    await recordRepositories(ref, 85, [repository(8500)], daysAgo(45));
    await recordInstallation(ref, { id: 85, account }, daysAgo(40), 'deleted');
    await applyRetention(ref, now, 30, () => undefined);

    // A captured body of each, signed, sent again under new delivery ids.
    await harness.send('installation', installationPayload('created', 85, [repository(8500)]));
    await harness.send(
      'pull_request',
      pullRequestPayload(85, repository(8501), { number: 1, updatedAt: '2026-11-20T10:00:00Z' }),
    );

    expect(await itemsOf(85)).toEqual([
      { ...keys.installation(85), installationId: 85, status: 'deleted' },
    ]);
    expect(await harness.drain(harness.stack.aws.syncQueueUrl)).toEqual([]);
  });

  it("keeps a removed repository's marks when the purge dies before its item goes", async () => {
    const ref = harness.table;
    await recordInstallation(ref, { id: 84, account }, daysAgo(60), 'active');
    await recordRepositories(ref, 84, [repository(8401)], daysAgo(60));
    await pullRequest(84, 8401, 1);
    await deactivateRepositories(ref, 84, [repository(8401)], daysAgo(40));
    await clearDirtyWeeks(ref, 84, await listDirtyWeeks(ref, 84));
    // The process dies deleting the repository's own item, its pull requests already gone.
    const dying = dyingTable(ref, (command) =>
      Object.values(command.input.RequestItems ?? {})
        .flat()
        .some((request) => JSON.stringify(request).includes('"REPO#8401"')),
    );

    await expect(applyRetention(dying, now, 30, () => undefined)).rejects.toThrow(
      'the process died',
    );
    expect(await applyRetention(ref, now, 30, () => undefined)).toEqual({
      installations: 0,
      repositories: 1,
    });

    // Everything of the repository gone; the week its pull request fed marked for the rollup.
    expect((await itemsOf(84)).map((item) => item[table.sortKey]).sort()).toEqual([
      'DIRTYWEEK#2026-W36',
      'INSTALLATION',
    ]);
  });
});
