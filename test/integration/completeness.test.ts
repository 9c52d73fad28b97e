import { describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { keys } from '#shared/store/keys.ts';
import type { SyncedRepository } from '#shared/sync/checkpoint.ts';
import { dispatchReconciliation } from '#shared/sync/dispatch-reconciliation.ts';
import type { RepositoryProgress } from '#shared/views/sync-progress-view.ts';
import { dashboardCookie } from '../support/dashboard-sign-in.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { storedPullRequests } from '../support/stored-pull-requests.ts';
import { until } from '../support/until.ts';

const installationId = 2930;
const daysBack = 90;
const github = useStackWithGitHub(
  {
    seed: 2930,
    installationId,
    organisation: 'counted',
    repositories: [
      // GitHub loses a PR from a page of each: once for the ledger, for good for the vault.
      { name: 'ledger', pullRequests: 60 },
      { name: 'vault', pullRequests: 45 },
      { name: 'wiki', pullRequests: 20 },
    ],
  },
  { daysBack, copilotMetrics: 'disabled' },
);
const harness = github.harness;
const day = 86_400_000;

const raw = () => exportDataset(github.sim.dataset).repositories;
const state = async (repositoryId: number) =>
  (await harness.get(keys.repository(installationId, repositoryId))) as unknown as SyncedRepository;
/** The repository's PRs GitHub holds that were last updated at or after `since`, from the simulator's raw data. */
const inWindow = (repositoryId: number, since: string) =>
  (raw().find((repo) => repo.id === repositoryId)?.pullRequests ?? []).filter(
    (pr) => Date.parse(pr.updatedAt ?? '') >= Date.parse(since),
  );
const reconcile = (now: Date) =>
  dispatchReconciliation(harness.table, harness.sqs, harness.stack.aws.syncQueueUrl, now);
/** Resolves once the repository's last check is later than `after`, its run complete. */
const checkedAfter = (repositoryId: number, after: string) =>
  until(async () => {
    const repo = await state(repositoryId);
    return (
      repo.syncStatus === 'complete' &&
      Date.parse(repo.completeness?.checkedAt ?? '') > Date.parse(after)
    );
  }, 60_000);

describe('completeness: a page that loses a PR', () => {
  it('is found by the check after the backfill, read again by the next reconciliation, and then matches', async () => {
    const [ledger, vault, wiki] = raw() as [
      ReturnType<typeof raw>[number],
      ReturnType<typeof raw>[number],
      ReturnType<typeof raw>[number],
    ];
    // Each one's newest PR, on the first page of its backfill.
    const newest = (repo: typeof ledger) =>
      [...repo.pullRequests].sort(
        (a, b) => Date.parse(b.updatedAt ?? '') - Date.parse(a.updatedAt ?? ''),
      )[0];
    const lost = { ledger: newest(ledger), vault: newest(vault) };
    github.sim.setFaults({
      voidedInPages: [
        `${ledger.fullName}#${lost.ledger?.number}`,
        `${vault.fullName}#${lost.vault?.number}`,
      ],
    });
    const installedAt = Date.now();
    await github.installAndSync();

    // The window starts 90 days before the backfill did, to the second.
    const after = await state(ledger.id);
    const since = after.completeness?.since ?? '';
    expect(Date.parse(since)).toBeGreaterThanOrEqual(installedAt - daysBack * day - 1000);
    expect(Date.parse(since)).toBeLessThanOrEqual(Date.now() - daysBack * day);
    const counts = {
      ledger: inWindow(ledger.id, since).length,
      vault: inWindow(vault.id, since).length,
      wiki: inWindow(wiki.id, since).length,
    };
    // Most of each repository's 26 weeks of PRs fall in the 90 days; the lost ones are in.
    expect(counts.ledger).toBeGreaterThan(20);
    expect(inWindow(ledger.id, since).map((pr) => pr.number)).toContain(lost.ledger?.number);
    expect(after.completeness).toMatchObject({
      stored: counts.ledger - 1,
      github: counts.ledger,
      state: 'short',
    });
    expect((await state(vault.id)).completeness).toMatchObject({
      stored: counts.vault - 1,
      github: counts.vault,
      state: 'short',
    });
    expect((await state(wiki.id)).completeness).toMatchObject({
      stored: counts.wiki,
      github: counts.wiki,
      state: 'matches',
    });

    // Shown per repository, in the status API and on the dashboard's sync progress.
    const api = (await (
      await fetch(`${harness.stack.url}/api/installations/${installationId}/repos`)
    ).json()) as { repositories: RepositoryProgress[] };
    const ledgerProgress = api.repositories.find((repo) => repo.id === ledger.id);
    expect(ledgerProgress?.completeness?.summary).toBe(
      `${counts.ledger - 1} of ${counts.ledger} pull requests; the next reconciliation reads them again`,
    );
    const cookie = await dashboardCookie(harness.stack.url, github.sim, github.sim.admin);
    const progress = (await (
      await fetch(`${harness.stack.url}/installations/${installationId}/progress.json`, {
        headers: { cookie },
      })
    ).json()) as { repositories: { id: number; state: string }[] };
    expect(progress.repositories.find((repo) => repo.id === ledger.id)?.state).toMatch(
      new RegExp(`^synced .*: ${counts.ledger - 1} of ${counts.ledger} pull requests; `),
    );
    expect(progress.repositories.find((repo) => repo.id === wiki.id)?.state).toMatch(
      new RegExp(`: ${counts.wiki} of ${counts.wiki} pull requests$`),
    );

    // GitHub serves the ledger's page whole again; the vault's PR stays lost.
    github.sim.setFaults({ voidedInPages: [`${vault.fullName}#${lost.vault?.number}`] });
    const firstCheck = after.completeness?.checkedAt ?? '';
    expect(await reconcile(new Date())).toEqual({ queued: 1, resyncs: 2, stillShort: 0 });
    await Promise.all([ledger, vault, wiki].map((repo) => checkedAfter(repo.id, firstCheck)));

    const resynced = await state(ledger.id);
    // Read again from the window's start, as an incremental run: the window's count the same.
    expect(resynced).toMatchObject({
      syncMode: 'incremental',
      syncResync: null,
      completeness: { stored: counts.ledger, github: counts.ledger, state: 'matches' },
    });
    const again = resynced.completeness?.since ?? '';
    expect(Date.parse(again)).toBeGreaterThan(Date.parse(since));
    expect(resynced.completeness?.github).toBe(inWindow(ledger.id, again).length);
    const stored = await storedPullRequests(harness.table, installationId, ledger.id);
    expect(stored.find((pr) => pr.number === lost.ledger?.number)).toMatchObject({
      title: lost.ledger?.title,
      updatedAt: lost.ledger?.updatedAt,
    });
    expect((await state(vault.id)).completeness).toMatchObject({
      stored: inWindow(vault.id, again).length - 1,
      github: inWindow(vault.id, again).length,
      state: 'still-short',
    });
    expect((await state(wiki.id)).completeness?.state).toBe('matches');

    // The next day: the vault is counted for the alarm and not read again; the others go on as usual.
    const secondCheck = (await state(vault.id)).completeness?.checkedAt ?? '';
    expect(await reconcile(new Date(Date.now() + day))).toEqual({
      queued: 3,
      resyncs: 0,
      stillShort: 1,
    });
    // Its incremental run cannot make the PR up either: still short, still alarmed on.
    await Promise.all([ledger, vault, wiki].map((repo) => checkedAfter(repo.id, secondCheck)));
    expect((await state(vault.id)).completeness?.state).toBe('still-short');
    expect((await state(ledger.id)).completeness?.state).toBe('matches');
    github.sim.setFaults({});
  });
});
