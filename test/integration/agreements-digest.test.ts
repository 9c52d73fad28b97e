import { describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { finishedWeek, shiftWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { dispatchRollups } from '#shared/rollup/dispatch-rollups.ts';
import { setAgreements } from '#shared/store/agreements.ts';
import { getInstallation, type InstallationRecord } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { markRecentWeeks, updateSettings } from '#shared/store/settings.ts';
import { recomputedAgreementShares } from '../support/recomputed-metrics.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';

const installationId = 2828;
const github = useStackWithGitHub(
  {
    seed: 2828,
    installationId,
    organisation: 'agreed',
    repositories: [
      { name: 'api', pullRequests: 300 },
      { name: 'web', pullRequests: 150 },
    ],
  },
  { daysBack: 0 },
);
const harness = github.harness;
const maxChangedLines = 200;

interface SentEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}

async function inbox(): Promise<SentEmail[]> {
  const response = await fetch(`${harness.stack.aws.sesInboxUrl}/store`);
  return ((await response.json()) as { emails: SentEmail[] }).emails;
}

describe("the digest's working agreements", () => {
  it("shows each agreement's share met, last week's change and the 4-week average, as recomputed from the simulator's data", async () => {
    await github.installAndSync();
    await setAgreements(
      harness.table,
      { installationId },
      {
        maxChangedLines,
        noMergeWithoutReview: true,
      },
    );
    await updateSettings(harness.table, installationId, { recipients: ['lead@agreed.example'] });
    // As the settings page does: the last weeks are marked, and rolled up again by the next run.
    const installation = await getInstallation(harness.table, installationId);
    await markRecentWeeks(harness.table, installation as InstallationRecord, new Date());
    const week = finishedWeek(new Date(), 'UTC');
    const weeks = [0, 1, 2, 3, 4].map((back) => shiftWeek(week, -back));
    // The hourly run on a Wednesday: no digest due, the marked weeks recomputed.
    const wednesday = new Date(weekBounds(week, 'UTC').end.getTime() + 2 * 86_400_000);
    await dispatchRollups(
      harness.table,
      harness.sqs,
      harness.stack.aws.rollupQueueUrl,
      wednesday,
      'scheduled',
    );
    await until(async () => {
      const rows = await Promise.all(
        weeks.map((shown) =>
          harness.get(keys.weeklyMetrics(installationId, shown, 'organisation')),
        ),
      );
      return rows.every((row) => row?.agreements !== undefined);
    }, 120_000);
    // Then this week's digest, as `npm run rollup` sends it.
    await harness.stack.rollUpNow(installationId);
    let digest: SentEmail | undefined;
    await until(async () => {
      digest = (await inbox()).find((email) =>
        email.destination.to.includes('lead@agreed.example'),
      );
      return digest !== undefined;
    }, 90_000);

    const exported = exportDataset(github.sim.dataset);
    const everyPr = exported.repositories.flatMap((repo) => repo.pullRequests);
    const [now, ...before] = weeks.map((shown) => {
      const { start, end } = weekBounds(shown, 'UTC');
      return recomputedAgreementShares(everyPr, start, end, { maxChangedLines });
    });
    // Written as the digest writes a share: hundredths, as a whole percent; a change in points.
    const hundredths = (value: number) => Math.round(value * 100) / 100;
    const share = ({ met, of }: { met: number; of: number }) =>
      of === 0 ? null : hundredths(met / of);
    const percent = (value: number | null) =>
      value === null ? '—' : `${Math.round(value * 100)}%`;
    const line = (words: string, name: 'maxChangedLines' | 'noMergeWithoutReview') => {
      const current = now?.[name] as { met: number; of: number };
      const value = share(current) as number;
      const previous = before[0] ? share(before[0][name]) : null;
      const change = previous === null ? null : hundredths(value - previous);
      const points = change === null ? 0 : Math.abs(Math.round(change * 100));
      const arrow =
        change === null
          ? 'new'
          : change === 0
            ? `= ${points} pts`
            : `${change > 0 ? '▲ \\+' : '▼ −'}${points} pts`;
      const known = before.map((past) => share(past[name])).filter((v) => v !== null);
      const average =
        known.length === 0 ? null : hundredths(known.reduce((sum, v) => sum + v, 0) / known.length);
      return new RegExp(
        `\\n {2}${words} +${percent(value)} \\(${current.met} of ${current.of}\\) +${arrow} +${percent(average)}\\n`,
      );
    };
    expect(now?.noMergeWithoutReview.of).toBeGreaterThan(0);
    expect(digest?.body.text).toContain('Working agreements');
    expect(digest?.body.text).toMatch(
      line(`at most ${maxChangedLines} changed lines`, 'maxChangedLines'),
    );
    expect(digest?.body.text).toMatch(line('no merge without review', 'noMergeWithoutReview'));
  }, 240_000);
});
