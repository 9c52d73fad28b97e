import { describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { finishedWeek, shiftWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { listDirtyWeeks, markWeeksDirty } from '#shared/store/dirty-weeks.ts';
import { updateSettings } from '#shared/store/settings.ts';
import {
  type Ended,
  recomputedDeliveryWeek,
  recomputedHistories,
} from '../support/recomputed-delivery.ts';
import { peopleBehind } from '../support/recomputed-metrics.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';
import { weeklyMetricItems } from '../support/weekly-metric-items.ts';

const installationId = 919;
const github = useStackWithGitHub(
  {
    seed: 919,
    installationId,
    organisation: 'shipping',
    repositories: [
      { name: 'api', pullRequests: 300 },
      { name: 'web', pullRequests: 120 },
    ],
  },
  { daysBack: 0, readsNotifications: true, copilotMetrics: 'disabled' },
);
const harness = github.harness;

const metricItems = () => weeklyMetricItems(harness, installationId);

/** Rolls the installation up now; resolves once the job's digest is queued, after every week marked dirty. */
async function rollUpNow() {
  const [job] = await harness.stack.rollUpNow(installationId);
  await until(async () =>
    (await harness.drain(harness.stack.aws.notifyQueueUrl)).some(
      (body) => (body as { week?: string }).week === job?.week,
    ),
  );
}

/**
 * Expects the stored organisation and repository rows of `weeks` to equal their
 * recomputation from the simulator's REST data (the second path), none
 * where the recomputation has no production deployment; returns the organisation's
 * figures and the recomputed histories.
 */
async function expectStoredAsRecomputed(
  weeks: readonly string[],
  source: 'deployments' | 'releases',
) {
  const histories = await recomputedHistories(github.sim, source);
  const items = await metricItems();
  const figures = weeks.map((week) => {
    const { start, end } = weekBounds(week, 'UTC');
    const recomputed = (of: typeof histories) =>
      recomputedDeliveryWeek(
        of.map((repo) => repo.history),
        start.getTime(),
        end.getTime(),
      );
    const stored = (row: string) =>
      items.find((item) => item.week === week && item.row === row)?.delivery ?? null;
    const organisation = recomputed(histories);
    expect(stored('organisation'), `${week} organisation`).toEqual(
      organisation.changeFailure === null ? null : organisation,
    );
    for (const repo of histories) {
      const expected = recomputed([repo]);
      expect(stored(`repo#${repo.id}`), `${week} ${repo.id}`).toEqual(
        expected.changeFailure === null ? null : expected,
      );
    }
    return organisation;
  });
  return { figures, histories };
}

/**
 * How the recomputed rollbacks were followed: by a roll-forward to the
 * commit rolled back, or past it (the simulator's next train deploys the
 * branch's head, which only moves forward).
 */
function rollForwards(histories: readonly (readonly Ended[])[]) {
  const after = { toRolledBack: 0, past: 0 };
  for (const history of histories) {
    const moves = history.filter((deploy) => deploy.move !== null);
    moves.forEach((deploy, index) => {
      const [rolledBack, rollback] = [moves[index - 2], moves[index - 1]];
      if (rollback?.move !== 'back' || deploy.move !== 'forward') return;
      if (deploy.sha === rolledBack?.sha) after.toRolledBack++;
      else after.past++;
    });
  }
  return after;
}

describe('delivery (DORA) figures in the weekly rollup', () => {
  it("equal, week by week for the organisation and each repository, their recomputation from GitHub's REST data", async () => {
    await github.installAndSync();
    await rollUpNow();

    const last = finishedWeek(new Date(), 'UTC');
    // Half a year of weeks: the first ones start production's record, the last ends at now.
    const weeks = Array.from({ length: 24 }, (_, back) => shiftWeek(last, -back));
    const { figures, histories } = await expectStoredAsRecomputed(weeks, 'deployments');
    const compared = figures.filter((organisation) => organisation.changeFailure !== null);
    const failures = compared.reduce(
      (sum, organisation) => sum + (organisation.changeFailure?.failed ?? 0),
      0,
    );
    // The simulated history has failures of every kind to compare, not just quiet weeks.
    expect(compared.length).toBeGreaterThan(15);
    expect(failures).toBeGreaterThan(5);
    // Rollbacks, each followed by a roll-forward: to the rolled-back commit, or past it.
    const after = rollForwards(histories.map((repo) => repo.history));
    expect(after.toRolledBack).toBeGreaterThan(0);
    expect(after.past).toBeGreaterThan(0);
    // Bots' changes shipped, counted in lead time.
    const shipped = histories.flatMap((repo) => repo.history.flatMap((deploy) => deploy.shipped));
    expect(shipped.filter((change) => change.bot).length).toBeGreaterThan(0);
  }, 180_000);

  it('count for each GitHub team the deployments that shipped its pull requests, with its changes only, as recomputed from the REST data', async () => {
    const exported = exportDataset(github.sim.dataset);
    // The first teams reading counts everyone in the teams they are in now (the open
    // intervals) for all the history before it, and a child team's people in its parents too.
    const parentOf = new Map(exported.teams.map((team) => [team.slug, team.parent]));
    const idOf = new Map(exported.teams.map((team) => [team.slug, team.id]));
    const teamsOf = new Map<number, Set<number>>();
    for (const membership of exported.teamMemberships.filter((m) => m.leftAt === null))
      for (let slug: string | null | undefined = membership.team; slug; slug = parentOf.get(slug)) {
        const teams = teamsOf.get(membership.user.id) ?? new Set<number>();
        teams.add(idOf.get(slug) as number);
        teamsOf.set(membership.user.id, teams);
      }
    const histories = await recomputedHistories(github.sim, 'deployments');
    const items = await metricItems();
    const last = finishedWeek(new Date(), 'UTC');
    const weeks = Array.from({ length: 24 }, (_, back) => shiftWeek(last, -back));
    let compared = 0;
    for (const team of exported.teams) {
      // The team's pull requests: its people's (an agent's: the people it was opened for).
      const theirs = new Set(
        exported.repositories.flatMap((repo) =>
          repo.pullRequests
            .filter((pr) => peopleBehind(pr).some((id) => teamsOf.get(id)?.has(team.id)))
            .map((pr) => `${repo.id}#${pr.number}`),
        ),
      );
      // Each deployment that shipped some of them, with those only; the others are not the team's.
      const own = histories.map((repo) =>
        repo.history
          .map((deploy) => ({
            ...deploy,
            shipped: deploy.shipped.filter((change) => theirs.has(`${repo.id}#${change.number}`)),
          }))
          .filter((deploy) => deploy.shipped.length > 0),
      );
      for (const week of weeks) {
        const { start, end } = weekBounds(week, 'UTC');
        const expected = recomputedDeliveryWeek(own, start.getTime(), end.getTime());
        const stored =
          items.find((item) => item.week === week && item.row === `team#${team.id}`)?.delivery ??
          null;
        expect(stored, `${week} ${team.slug}`).toEqual(
          expected.changeFailure === null ? null : expected,
        );
        if (expected.changeFailure !== null) compared++;
      }
    }
    // Not vacuous: teams deployed in many weeks.
    expect(compared).toBeGreaterThan(20);
  });

  it('takes a redeployment of the commit production has for neither a rollback nor a failure, as recomputed', async () => {
    // The head now, twice: the second deploys the commit production has.
    await github.sim.activity.deploy('shipping/api');
    await github.sim.activity.deploy('shipping/api');
    await rollUpNow();

    const current = shiftWeek(finishedWeek(new Date(), 'UTC'), 1);
    const { histories } = await expectStoredAsRecomputed(
      [current, shiftWeek(current, -1), shiftWeek(current, -2)],
      'deployments',
    );
    const redeployed = histories.flatMap((repo) =>
      repo.history.filter((deploy) => deploy.move === 'same'),
    );
    expect(redeployed.length).toBeGreaterThan(0);
  }, 60_000);

  it('serves them from the weekly metrics API with changes, four-week averages and DORA levels', async () => {
    const response = await fetch(
      `${harness.stack.url}/api/installations/${installationId}/metrics/weekly?weeks=2`,
    );
    const body = (await response.json()) as {
      weeks: {
        week: string;
        delivery: {
          figures: { deployments: number };
          headlines: Record<string, { value: number | null; previousWeek: number | null }>;
          levels: Record<string, unknown>;
        } | null;
        repositories: { id: number; delivery?: { deployments: number } }[];
      }[];
    };
    const items = await metricItems();
    const [last, before] = body.weeks;
    const stored = (week: string | undefined, row: string) =>
      items.find((item) => item.week === week && item.row === row)?.delivery;

    expect(response.status).toBe(200);
    expect(last?.delivery?.figures).toEqual(stored(last?.week, 'organisation'));
    expect(last?.delivery?.headlines.deployments).toMatchObject({
      value: stored(last?.week, 'organisation').deployments,
      previousWeek: stored(before?.week, 'organisation').deployments,
    });
    expect(last?.delivery?.levels).toMatchObject({
      deploymentFrequency: expect.stringMatching(/^(elite|high|medium|low)$/),
      source: { year: 2023 },
    });
    for (const repository of last?.repositories ?? [])
      expect(repository.delivery).toEqual(stored(last?.week, `repo#${repository.id}`));
  });

  it('takes each merge to the default branch as a deployment once the installation says so', async () => {
    await updateSettings(harness.table, installationId, { deploymentSource: 'merges' });
    const last = finishedWeek(new Date(), 'UTC');
    await markWeeksDirty(harness.table, installationId, [last], new Date(0));
    await rollUpNow();

    // Second path: the PRs GitHub's REST API lists as merged that week (all into main here).
    const { start, end } = weekBounds(last, 'UTC');
    const merged = (
      await Promise.all(
        github.sim.dataset.repositories.map((repo) =>
          simOctokit(github.sim).paginate('GET /repos/{owner}/{repo}/pulls', {
            owner: 'shipping',
            repo: repo.name,
            state: 'closed',
            per_page: 100,
          }),
        ),
      )
    )
      .flat()
      .filter((pr) => {
        const at = Date.parse(pr.merged_at ?? '');
        return at >= start.getTime() && at < end.getTime();
      });
    const organisation = (await metricItems()).find(
      (item) => item.week === last && item.row === 'organisation',
    );
    expect(merged.length).toBeGreaterThan(3);
    expect(organisation?.delivery).toMatchObject({
      deployments: merged.length,
      deployPhase: { count: merged.length, median: 0, p90: 0 },
    });
  });

  it('takes each published release as a deployment once the installation says so, as recomputed from REST', async () => {
    await updateSettings(harness.table, installationId, { deploymentSource: 'releases' });
    const last = finishedWeek(new Date(), 'UTC');
    const weeks = Array.from({ length: 8 }, (_, back) => shiftWeek(last, -back));
    await markWeeksDirty(harness.table, installationId, weeks, new Date(0));
    await rollUpNow();
    await until(async () =>
      (await listDirtyWeeks(harness.table, installationId)).every(
        (mark) => !weeks.includes(mark.week),
      ),
    );

    // Second path: releases and tags from GitHub's REST API, walked as deployments.
    const { figures } = await expectStoredAsRecomputed(weeks, 'releases');
    const shipped = figures.reduce(
      (sum, organisation) => sum + (organisation.leadTime?.count ?? 0),
      0,
    );
    // Weekly releases of two repositories: changes shipped to compare, most weeks.
    expect(shipped).toBeGreaterThan(20);
  }, 120_000);
});
