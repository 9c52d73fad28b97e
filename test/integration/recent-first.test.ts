import { describe, expect, it } from 'vitest';
import { finishedWeek } from '#shared/metrics/time-zone.ts';
import { emailKeys } from '#shared/notify/handle-notification.ts';
import { runRollup } from '#shared/rollup/run-rollup.ts';
import { keys } from '#shared/store/keys.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { deepAtOnce } from '#shared/store/sync-admission.ts';
import { testSecret } from '../support/local-stack.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';
import { weeklyMetricItems } from '../support/weekly-metric-items.ts';
import { withoutMembers } from '../support/without-members.ts';

const installationId = 2929;
const recipient = 'lead@wide.example';
const github = useStackWithGitHub(
  {
    seed: 2929,
    installationId,
    organisation: 'wide-org',
    repositories: Array.from({ length: 9 }, (_, i) => ({
      name: `service-${i + 1}`,
      pullRequests: 300,
    })),
  },
  // The full history: a deep phase of several chunks behind each recent part. Without the
  // Members permission: a teams reading racing the recent part would give the week team rows
  // only at the rollup after it (teams.test.ts checks that it marks the weeks for it).
  { daysBack: 0, copilotMetrics: 'disabled', appPermissions: withoutMembers },
);
const harness = github.harness;

const repositoryStates = () =>
  Promise.all(
    github.sim.dataset.repositories.map((repo) =>
      harness.get(keys.repository(installationId, repo.id)),
    ),
  );

/** The week's stored rows (the organisation's, each repository's and author's), by row. */
async function weekRows(week: string) {
  const items = await weeklyMetricItems(harness, installationId);
  return Object.fromEntries(
    items.filter((item) => item.week === week).map((item) => [item.row, item]),
  );
}

describe('recent first', () => {
  it('rolls the last finished week up before the deep backfill ends, with the figures it has once that ends, and mails when it ends', async () => {
    // GitHub's answers take a moment; three workers, as the local stack runs.
    github.sim.setFaults({ latencyMs: 150 });
    github.sim.webhooks.configure({ url: harness.stack.webhookUrl, secret: testSecret });
    await github.sim.activity.installed();
    await updateSettings(harness.table, installationId, { recipients: [recipient] });
    const week = finishedWeek(new Date(), 'UTC');
    const mailed = () =>
      harness.get(keys.sentEmail(installationId, emailKeys.syncComplete, recipient));

    // Rolled up by the sync itself once every repository has its recent part: no schedule ran.
    await until(async () => Boolean((await weekRows(week)).organisation), 60_000, 50);
    const early = await weekRows(week);
    const states = await repositoryStates();
    expect(
      states.every((state) => state?.syncPhase === 'deep' || state?.syncStatus === 'complete'),
    ).toBe(true);
    expect(states.filter((state) => state?.syncStatus !== 'complete').length).toBeGreaterThan(0);
    // The deep phases come in a few at a time; the others wait parked.
    const deepUnderWay = states.filter(
      (state) => state?.syncStatus === 'syncing' && state.syncPending !== true,
    );
    expect(deepUnderWay.length).toBeLessThanOrEqual(deepAtOnce);
    expect(await mailed()).toBeUndefined();
    // A week with merged work and deployments: flow and delivery figures both compared below.
    expect(early.organisation?.metrics?.merged).toBeGreaterThan(0);
    expect(early.organisation?.delivery?.deployments).toBeGreaterThan(0);

    await until(
      async () => (await repositoryStates()).every((state) => state?.syncStatus === 'complete'),
      120_000,
    );
    github.sim.setFaults({});
    await until(async () => (await mailed())?.state === 'sent', 30_000);
    // The week again from everything stored, as Monday's rollup would compute it.
    await runRollup(
      {
        version: 1,
        kind: 'rollup',
        idempotencyKey: 'test:after-backfill',
        installationId,
        week,
        digest: false,
        requestedAt: new Date().toISOString(),
      },
      {
        table: harness.table,
        notify: async () => {},
        now: () => new Date(),
        remainingMs: () => 600_000,
      },
    );
    // Compared as JSON: the rows are large, and a failing deep comparison would print them all.
    const late = await weekRows(week);
    expect(Object.keys(late).sort()).toEqual(Object.keys(early).sort());
    for (const row of Object.keys(early))
      expect(JSON.stringify(late[row]), row).toBe(JSON.stringify(early[row]));
  }, 240_000);
});
