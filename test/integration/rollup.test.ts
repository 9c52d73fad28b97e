import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { finishedWeek, shiftWeek, weekBounds, weekIn } from '#shared/metrics/time-zone.ts';
import { weeksTouched } from '#shared/metrics/weeks.ts';
import { runRollup, settleMs } from '#shared/rollup/run-rollup.ts';
import { listDirtyWeeks, markWeeksDirty } from '#shared/store/dirty-weeks.ts';
import { recordInstallation } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { readTeams } from '#shared/store/teams.ts';
import { pullRequestPayload, repository } from '../support/payloads.ts';
import { peopleBehind, recomputedMetrics } from '../support/recomputed-metrics.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';
import { weeklyMetricItems } from '../support/weekly-metric-items.ts';

const installationId = 909;
const github = useStackWithGitHub(
  {
    seed: 909,
    installationId,
    organisation: 'rolled',
    repositories: [
      { name: 'api', pullRequests: 500 },
      { name: 'web', pullRequests: 200 },
    ],
  },
  { daysBack: 0, readsNotifications: true },
);
const harness = github.harness;

const metricItems = () => weeklyMetricItems(harness, installationId);

/** Rolls up through the queue, as `npm run rollup` does, and waits for the worker. */
async function rollUpNow(): Promise<void> {
  const [job] = await harness.stack.rollUpNow(installationId);
  const week = job?.week as string;
  await until(async () => {
    const digests = await harness.drain(harness.stack.aws.notifyQueueUrl);
    return digests.some((body) => (body as { week?: string }).week === week);
  });
}

describe('weekly rollup', () => {
  it('rolls up every week the sync touched, each figure equal to its recomputation from the exported dataset', async () => {
    await github.installAndSync();

    await rollUpNow();

    // Every mark is rolled up; those made this very minute stay for the next run to clear.
    const marks = await listDirtyWeeks(harness.table, installationId);
    expect(marks.every((mark) => Date.now() - Date.parse(mark.markedAt) < settleMs)).toBe(true);
    const items = await metricItems();
    const exported = exportDataset(github.sim.dataset).repositories;
    const weeks = weeksTouched(
      exported.flatMap((repo) =>
        repo.pullRequests.map((pr) => ({
          createdAt: pr.createdAt as string,
          mergedAt: pr.mergedAt,
          closedAt: pr.closedAt,
        })),
      ),
    );
    expect(weeks.length).toBeGreaterThan(10);
    // The dataset exercises every metric, rework (commits after review) included.
    const totalRework = items
      .filter((item) => item.row === 'organisation')
      .reduce((sum, item) => sum + item.metrics.reworkCommits, 0);
    expect(totalRework).toBeGreaterThan(0);
    for (const week of weeks) {
      const bounds = weekBounds(week, 'UTC');
      const organisation = items.find((item) => item.week === week && item.row === 'organisation');
      const all = exported.flatMap((repo) => repo.pullRequests);
      expect(organisation?.metrics, week).toEqual(recomputedMetrics(all, bounds.start, bounds.end));
      for (const repo of exported) {
        const expected = recomputedMetrics(repo.pullRequests, bounds.start, bounds.end);
        const row = items.find((item) => item.week === week && item.row === `repo#${repo.id}`);
        if (expected.opened + expected.merged + expected.closedWithoutMerge === 0)
          expect(row).toBeUndefined();
        else expect(row?.metrics, `${week} ${repo.fullName}`).toEqual(expected);
      }
    }
  }, 120_000);

  it("rolls up each GitHub team's weeks equal to their recomputation from the exported pull requests and teams", async () => {
    // After the first test: synced, teams read, rolled up.
    const exported = exportDataset(github.sim.dataset);
    expect(exported.teams.length).toBeGreaterThanOrEqual(3);
    // GitHub keeps no membership history: Flowmeter counts everyone, for the weeks before its
    // first reading, in the teams they were in then (the intervals still open), and a child
    // team's people in its parents too.
    const parentOf = new Map(exported.teams.map((team) => [team.slug, team.parent]));
    const membersOf = new Map<string, Set<number>>();
    for (const membership of exported.teamMemberships.filter((m) => m.leftAt === null)) {
      for (let slug: string | null | undefined = membership.team; slug; slug = parentOf.get(slug)) {
        const members = membersOf.get(slug) ?? new Set<number>();
        members.add(membership.user.id);
        membersOf.set(slug, members);
      }
    }
    const items = await metricItems();
    const everyPr = exported.repositories.flatMap((repo) => repo.pullRequests);
    const weeks = weeksTouched(
      everyPr.map((pr) => ({
        createdAt: pr.createdAt as string,
        mergedAt: pr.mergedAt,
        closedAt: pr.closedAt,
      })),
    );
    let compared = 0;
    let reviewedForOthers = 0;
    let agentsForTeams = 0;
    for (const team of exported.teams) {
      const members = membersOf.get(team.slug) ?? new Set<number>();
      const theirs = everyPr.filter((pr) => peopleBehind(pr).some((id) => members.has(id)));
      agentsForTeams += theirs.filter((pr) => pr.author.type === 'Bot').length;
      // Review load: the reviews the team's people gave, on anyone's pull requests.
      const theirReviews = { of: everyPr, by: (reviewerId: number) => members.has(reviewerId) };
      for (const week of weeks) {
        const bounds = weekBounds(week, 'UTC');
        const expected = recomputedMetrics(theirs, bounds.start, bounds.end, theirReviews);
        const row = items.find((item) => item.week === week && item.row === `team#${team.id}`);
        const worked =
          expected.opened + expected.merged + expected.closedWithoutMerge + expected.reviewsGiven;
        // A week with no work of the team's has no row (unless it deployed, with figures of nothing).
        if (worked === 0 && !row) continue;
        expect(row?.metrics, `${week} ${team.slug}`).toEqual(expected);
        compared++;
        const onOwnPrs = recomputedMetrics(theirs, bounds.start, bounds.end).reviewsGiven;
        if (expected.reviewsGiven !== onOwnPrs) reviewedForOthers++;
      }
    }
    expect(compared).toBeGreaterThan(weeks.length);
    // The data tell review load by the reviewer from review load by the author, and have agents'
    // pull requests for people in teams.
    expect(reviewedForOthers).toBeGreaterThan(0);
    expect(agentsForTeams).toBeGreaterThan(0);
  });

  it('leaves identical items when run again', async () => {
    const before = await metricItems();
    await rollUpNow();
    expect(await metricItems()).toEqual(before);
  }, 60_000);

  it("keeps past weeks' team figures when someone moves team: their past stays with the team they left", async () => {
    const teamRowsNow = async () =>
      (await metricItems()).filter(
        (item) => item.scope === 'team' && item.week !== weekIn(new Date(), 'UTC'),
      );
    const before = await teamRowsNow();
    const exported = exportDataset(github.sim.dataset);
    // Someone in product now, with merged PRs in the weeks already rolled up.
    const mover = exported.teamMemberships.find(
      (membership) =>
        membership.team === 'product' &&
        membership.leftAt === null &&
        exported.repositories.some((repo) =>
          repo.pullRequests.some((pr) => pr.author.id === membership.user.id && pr.mergedAt),
        ),
    );
    if (!mover) throw new Error('nobody in product has merged a pull request');
    await github.sim.activity.teams.move(mover.user.login, 'product', 'platform');
    await until(async () => {
      const { spells } = await readTeams(harness.table, installationId);
      return spells.some(
        (spell) =>
          spell.userId === mover.user.id && spell.teamId !== mover.teamId && spell.leftAt === null,
      );
    });
    // Every week is rolled up again, with the membership as it now is.
    await markWeeksDirty(
      harness.table,
      installationId,
      [...new Set(before.map((row) => row.week))],
      new Date(0),
    );
    await rollUpNow();
    expect(await teamRowsNow()).toEqual(before);
  }, 120_000);

  it('serves the stored weeks with comparisons from the status API', async () => {
    const response = await fetch(
      `${harness.stack.url}/api/installations/${installationId}/metrics/weekly?weeks=3`,
    );
    const body = (await response.json()) as {
      weeks: { week: string; organisation: { merged: number } | null; headlines: unknown }[];
    };
    const last = finishedWeek(new Date(), 'UTC');
    expect(body.weeks.map((w) => w.week)).toEqual([last, shiftWeek(last, -1), shiftWeek(last, -2)]);
    const stored = (await metricItems()).find(
      (item) => item.week === last && item.row === 'organisation',
    );
    expect(body.weeks[0]?.organisation).toEqual(stored?.metrics ?? null);
    // Clients from before "team" meant a GitHub team still find the figures, and are told.
    expect((body.weeks[0] as unknown as { team: unknown }).team).toEqual(stored?.metrics ?? null);
    expect(response.headers.get('deprecation')).toBe('@1796083200');
    expect(response.headers.get('sunset')).toBe('Mon, 01 Mar 2027 00:00:00 GMT');

    // Each GitHub team's row: its stored figures and AI adoption, and its merged PRs against the
    // team's own stored weeks before, by hand: the previous week's and the mean of the four. A
    // week rolled up (its organisation row stored) without the team's row: the team merged none.
    const everyRow = await metricItems();
    const teamWeeks = everyRow.filter((item) => item.scope === 'team');
    const rolledUp = new Set(
      everyRow.filter((item) => item.row === 'organisation').map((item) => item.week),
    );
    interface ApiTeamRow {
      id: number;
      metrics: { merged: number };
      aiAdoption: unknown;
      headlines: Record<string, unknown>;
    }
    const teams = (body.weeks[0] as unknown as { teams: ApiTeamRow[] }).teams;
    expect(teams.length).toBeGreaterThan(0);
    const storedIn = (teamId: number, back: number) =>
      teamWeeks.find(
        (item) => item.week === shiftWeek(last, -back) && item.row === `team#${teamId}`,
      ) as { metrics: { merged: number }; ai?: unknown } | undefined;
    const mergedIn = (teamId: number, back: number) =>
      storedIn(teamId, back)?.metrics.merged ?? (rolledUp.has(shiftWeek(last, -back)) ? 0 : null);
    // Not vacuous: some team has a stored row the week before.
    expect(teams.some((team) => storedIn(team.id, 1) !== undefined)).toBe(true);
    for (const team of teams) {
      const own = storedIn(team.id, 0);
      expect(team.metrics).toEqual(own?.metrics);
      expect(team.aiAdoption).toEqual(own?.ai ?? null);
      const before = [1, 2, 3, 4].flatMap((back) => mergedIn(team.id, back) ?? []);
      const previous = mergedIn(team.id, 1);
      const value = own?.metrics.merged ?? 0;
      expect(team.headlines.merged, `team ${team.id}`).toEqual({
        value,
        previousWeek: previous,
        change: previous === null ? null : value - previous,
        fourWeekAverage:
          before.length === 0
            ? null
            : Math.round((before.reduce((sum, n) => sum + n, 0) / before.length) * 100) / 100,
      });
    }
    // Per-person rows only once the organisation turns them on.
    const authorsOf = (answer: unknown) =>
      (answer as { weeks: { authors: { id: number }[] }[] }).weeks[0]?.authors.map((a) => a.id);
    const storedAuthors = everyRow
      .filter((item) => item.week === last && item.scope === 'author')
      .map((item) => Number(String(item.row).split('#')[1]));
    expect(storedAuthors.length).toBeGreaterThan(0);
    expect(authorsOf(body)).toEqual([]);
    const showAuthors = (on: boolean) =>
      harness.db.send(
        new UpdateCommand({
          TableName: harness.table.tableName,
          Key: keys.installation(installationId),
          UpdateExpression: 'SET showAuthors = :on',
          ExpressionAttributeValues: { ':on': on },
        }),
      );
    await showAuthors(true);
    try {
      const shown = await fetch(
        `${harness.stack.url}/api/installations/${installationId}/metrics/weekly?weeks=1`,
      );
      expect(authorsOf(await shown.json())?.sort()).toEqual(storedAuthors.sort());
    } finally {
      await showAuthors(false);
    }

    const bad = await fetch(
      `${harness.stack.url}/api/installations/${installationId}/metrics/weekly?weeks=0`,
    );
    expect(bad.status).toBe(400);
  });

  it('counts a PR merged last week but arriving today in last week, on the next rollup', async () => {
    const last = finishedWeek(new Date(), 'UTC');
    const organisation = async () =>
      (await metricItems()).find((item) => item.week === last && item.row === 'organisation')
        ?.metrics as { merged: number } | undefined;
    const mergedBefore = (await organisation())?.merged ?? 0;
    const repo = github.sim.dataset.repositories[1];
    if (!repo) throw new Error('no repository');
    const mergedAt = new Date(weekBounds(last, 'UTC').start.getTime() + 30 * 3_600_000);
    await harness.send(
      'pull_request',
      pullRequestPayload(
        installationId,
        { ...repository(repo.id, repo.name), full_name: repo.fullName },
        {
          number: 90_001,
          updatedAt: new Date().toISOString(),
          mergedAt: mergedAt.toISOString(),
        },
      ),
    );
    expect((await listDirtyWeeks(harness.table, installationId)).length).toBeGreaterThan(0);

    await rollUpNow();

    expect((await organisation())?.merged).toBe(mergedBefore + 1);
  }, 60_000);

  it('clears each mark with its week, and leaves what time does not allow and marks too fresh to trust', async () => {
    const id = 919;
    const now = new Date();
    await recordInstallation(
      harness.table,
      { id, account: { id: 1, login: 'marked', type: 'Organization' } },
      now,
      'active',
    );
    const old = new Date(now.getTime() - 10 * 60_000);
    await markWeeksDirty(harness.table, id, ['2026-W10', '2026-W11', '2026-W12'], old);
    // Written a moment ago: the week indexes may not show its PR yet.
    await markWeeksDirty(harness.table, id, ['2026-W13'], now);

    // A late-data job (no week of its own), run with `remainingMs` for its time left.
    const rollUpMarks = (key: string, remainingMs: () => number) =>
      runRollup(
        {
          version: 1,
          kind: 'rollup',
          idempotencyKey: key,
          installationId: id,
          digest: false,
          requestedAt: now.toISOString(),
        },
        { table: harness.table, notify: async () => undefined, now: () => now, remainingMs },
      );
    let weeksLeft = 1;
    // Time for one marked week, then the invocation's budget runs short.
    const weeks = await rollUpMarks('test:marks', () => (weeksLeft-- > 0 ? 300_000 : 10_000));

    expect(weeks).toEqual(['2026-W10']);
    const marked = async () => (await listDirtyWeeks(harness.table, id)).map((mark) => mark.week);
    expect(await marked()).toEqual(['2026-W11', '2026-W12', '2026-W13']);

    // The next run has time: the settled marks go, the fresh one is rolled up and stays.
    const next = await rollUpMarks('test:marks:2', () => 300_000);
    expect(next).toEqual(['2026-W11', '2026-W12', '2026-W13']);
    expect(await marked()).toEqual(['2026-W13']);
  });
});
