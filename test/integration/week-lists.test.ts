import { beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { finishedWeek, shiftWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { updateTeamSettings } from '#shared/store/team-settings.ts';
import { readTeams } from '#shared/store/teams.ts';
import { csvRecords } from '../support/csv-records.ts';
import { dashboardCookie } from '../support/dashboard-sign-in.ts';
import { failureNamed } from '../support/failure-named.ts';
import { type Ended, recomputedHistories } from '../support/recomputed-delivery.ts';
import { recomputedAiAssisted } from '../support/recomputed-metrics.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';
import { weeklyMetricItems } from '../support/weekly-metric-items.ts';

const installationId = 929;
const github = useStackWithGitHub(
  {
    seed: 929,
    installationId,
    organisation: 'listing',
    repositories: [
      { name: 'api', pullRequests: 300 },
      { name: 'web', pullRequests: 120 },
    ],
  },
  { daysBack: 0, readsNotifications: true, copilotMetrics: 'disabled' },
);
const harness = github.harness;
const hour = 3_600_000;
const hundredths = (value: number) => Math.round(value * 100) / 100;

// The installation keeps UTC: its weeks are cut as the recomputation cuts them.
const last = () => finishedWeek(new Date(), 'UTC');
const lastWeeks = (count: number) =>
  Array.from({ length: count }, (_, back) => shiftWeek(last(), -back));

let cookie = '';
let histories: { id: number; history: Ended[] }[] = [];
beforeAll(async () => {
  await github.installAndSync();
  // One team cuts its weeks in a zone of its own, where Monday starts after the 10:00 UTC release train: its lists must too, as its figures do.
  const [own] = (await readTeams(harness.table, installationId)).teams;
  await updateTeamSettings(harness.table, installationId, own?.teamId as number, {
    timeZone: 'Pacific/Pago_Pago',
  });
  const [job] = await harness.stack.rollUpNow(installationId);
  // The digest is queued once the job's week and every week marked dirty are rolled up.
  await until(async () =>
    (await harness.drain(harness.stack.aws.notifyQueueUrl)).some(
      (body) => (body as { week?: string }).week === job?.week,
    ),
  );
  cookie = await dashboardCookie(harness.stack.url, github.sim, github.sim.admin);
  // The second path: every production deployment recomputed from GitHub's REST data.
  histories = await recomputedHistories(github.sim);
}, 240_000);

const get = (path: string, as = cookie) =>
  fetch(`${harness.stack.url}/installations/${installationId}${path}`, {
    headers: { cookie: as },
    redirect: 'manual',
  });
const csv = async (query: string) => {
  const response = await get(`/pull-requests.csv?${query}`);
  expect(response.status, query).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/csv');
  return csvRecords(await response.text());
};

/** The recomputed deployments that ended in the week, in the order they ended. */
function endedIn(week: string): Ended[] {
  const { start, end } = weekBounds(week, 'UTC');
  return histories
    .flatMap((repo) => repo.history)
    .filter((deploy) => deploy.end >= start.getTime() && deploy.end < end.getTime())
    .sort((a, b) => a.end - b.end || a.id - b.id);
}

describe("a week's lists of what its figures were computed from", () => {
  it('list the production deployments as recomputed from REST, as many failed as the change failure rate counts, each naming why', async () => {
    const items = await weeklyMetricItems(harness, installationId);
    const kinds = new Set<string>();
    const weeks = lastWeeks(12);
    for (const week of weeks) {
      const rows = await csv(`kind=deployments&from=${week}&to=${week}`);
      const expected = endedIn(week);
      expect(
        rows.map((row) => Number(row.deployment_id)),
        week,
      ).toEqual(expected.map((d) => d.id));
      const stored = items.find((item) => item.week === week && item.row === 'organisation')
        ?.delivery?.changeFailure as { failed: number; deployments: number } | undefined;
      const failed = rows.filter((row) => row.failed === 'true');
      expect(failed.length, week).toBe(stored?.failed ?? 0);
      expect(rows.length, week).toBe(stored?.deployments ?? 0);
      const { end } = weekBounds(week, 'UTC');
      for (const deploy of expected.filter((d) => d.failedBy !== null)) {
        const row = rows.find((candidate) => Number(candidate.deployment_id) === deploy.id);
        const reason = deploy.failedBy as NonNullable<Ended['failedBy']>;
        kinds.add(reason.kind);
        // The reason whose times count comes first.
        expect(row?.failed_because?.split('; ')[0], `${week} ${deploy.id}`).toContain(
          failureNamed(reason),
        );
        const restored =
          deploy.restoredAt !== null && deploy.restoredAt < end.getTime() + 14 * 24 * hour
            ? hundredths(((deploy.restoredAt as number) - (deploy.failedAt as number)) / hour)
            : null;
        expect(row?.restore_hours === '' ? null : Number(row?.restore_hours)).toBe(restored);
      }
    }
    // The simulated history fails deployments in every way but one at least: not just quiet weeks.
    expect(kinds.size).toBeGreaterThanOrEqual(3);

    // Twelve weeks in one CSV: the rows of the twelve, in order.
    const range = await csv(`kind=deployments&from=${weeks.at(-1)}&to=${weeks[0]}`);
    expect(range.map((row) => Number(row.deployment_id))).toEqual(
      [...weeks].reverse().flatMap((week) => endedIn(week).map((deploy) => deploy.id)),
    );
  }, 120_000);

  it("shows as many failed deployments on a week's page as its change failure rate counts, linked from the figures", async () => {
    const items = await weeklyMetricItems(harness, installationId);
    const failing = items
      .filter((item) => item.row === 'organisation' && item.week <= last())
      .sort((a, b) => b.week.localeCompare(a.week))
      .find((item) => (item.delivery?.changeFailure?.failed ?? 0) > 0);
    const week = failing?.week as string;
    const html = await (await get(`/weeks/${week}/deployments`)).text();
    expect(html.split('<strong>Failed:</strong>').length - 1).toBe(
      failing?.delivery.changeFailure.failed,
    );
    const overview = await (await get('')).text();
    expect(overview).toContain(
      `href="/installations/${installationId}/weeks/${last()}/deployments"`,
    );
    expect(overview).toContain(
      `href="/installations/${installationId}/weeks/${last()}/ai-assisted"`,
    );
  });

  it('list the incidents opened each week, with the deployment the recomputation found each blamed', async () => {
    const octokit = simOctokit(github.sim);
    const issues = (
      await Promise.all(
        github.sim.dataset.repositories.map(async (repo) =>
          (
            await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
              owner: 'listing',
              repo: repo.name,
              state: 'all',
              per_page: 100,
            })
          ).map((issue) => ({ ...issue, repositoryId: repo.id })),
        ),
      )
    )
      .flat()
      .filter((issue) =>
        issue.labels.some((label) =>
          /incident/i.test(typeof label === 'string' ? label : (label.name ?? '')),
        ),
      );
    let counted = 0;
    for (const week of lastWeeks(12)) {
      const { start, end } = weekBounds(week, 'UTC');
      const rows = await csv(`kind=incidents&from=${week}&to=${week}`);
      const opened = issues.filter((issue) => {
        const at = Date.parse(issue.created_at);
        return at >= start.getTime() && at < end.getTime();
      });
      expect(rows.map((row) => row.number).sort(), week).toEqual(
        opened.map((issue) => String(issue.number)).sort(),
      );
      for (const row of rows) {
        const issue = opened.find((candidate) => String(candidate.number) === row.number);
        expect(row.restore_hours === '' ? null : Number(row.restore_hours)).toBe(
          issue?.closed_at
            ? hundredths((Date.parse(issue.closed_at) - Date.parse(issue.created_at)) / hour)
            : null,
        );
        if (row.times_count !== 'true') continue;
        counted++;
        const blamed = histories
          .flatMap((repo) => repo.history)
          .find(
            (deploy) =>
              deploy.failedBy?.kind === 'incident' && String(deploy.failedBy.by) === row.number,
          );
        expect(row.blamed_deployment).toBe(String(blamed?.id));
      }
    }
    expect(counted).toBeGreaterThan(0);
  });

  it('list the AI-assisted pull requests each week, as many as the AI figures count, each with the signal that marked it', async () => {
    const items = await weeklyMetricItems(harness, installationId);
    const exported = exportDataset(github.sim.dataset).repositories;
    let marked = 0;
    for (const week of lastWeeks(6)) {
      const { start, end } = weekBounds(week, 'UTC');
      const rows = await csv(`kind=ai-assisted&from=${week}&to=${week}`);
      const expected = exported.flatMap((repo) =>
        recomputedAiAssisted(repo.pullRequests, start, end).map((n) => `${repo.fullName}#${n}`),
      );
      expect(rows.map((row) => `${row.repository}#${row.number}`).sort(), week).toEqual(
        expected.sort(),
      );
      const stored = items.find((item) => item.week === week && item.row === 'organisation');
      expect(rows.length).toBe(stored?.ai?.aiAssisted.merged ?? 0);
      for (const row of rows)
        expect(row.ai_signal).toMatch(
          /^(opened by the AI agent |a commit trailer names |labelled )/,
        );
      marked += rows.length;
    }
    expect(marked).toBeGreaterThan(0);
  });

  it("lists a team's share: the deployments that shipped its pull requests, as its own figures count them, in its own zone's weeks", async () => {
    const { teams } = await readTeams(harness.table, installationId);
    const items = await weeklyMetricItems(harness, installationId);
    let compared = 0;
    for (const team of teams.filter((known) => known.deletedAt === null))
      for (const week of lastWeeks(4)) {
        const rows = await csv(`kind=deployments&from=${week}&to=${week}&team=${team.teamId}`);
        const stored = items.find(
          (item) => item.week === week && item.row === `team#${team.teamId}`,
        )?.delivery?.changeFailure as { failed: number; deployments: number } | undefined;
        expect(rows.length, `${team.slug} ${week}`).toBe(stored?.deployments ?? 0);
        expect(rows.filter((row) => row.failed === 'true').length).toBe(stored?.failed ?? 0);
        compared += rows.length;
      }
    expect(compared).toBeGreaterThan(0);
  });

  it('refuses a kind it does not know, a week that does not exist and a team that is not there, and shows an outsider nothing', async () => {
    // 2025 has 52 ISO weeks (its 28 December is a Sunday of week 52): no 2025-W53 to read as 2026-W01.
    expect((await get('/weeks/2025-W53/incidents')).status).toBe(404);
    const notAWeek = await get('/pull-requests.csv?from=2025-W53&to=2026-W02');
    expect(notAWeek.status).toBe(400);
    expect(await notAWeek.text()).toContain('from and to must be ISO weeks that exist');
    // A week still to come (2030's first) has nothing to list yet.
    expect((await get('/weeks/2030-W01/deployments')).status).toBe(404);
    const toCome = await get('/pull-requests.csv?kind=deployments&from=2029-W52&to=2030-W01');
    expect(toCome.status).toBe(400);
    expect(await toCome.text()).toContain('2030-W01 has not begun yet.');
    const bad = await get(`/pull-requests.csv?kind=commits`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(
      'kind must be one of pull-requests, deployments, incidents, ai-assisted.',
    );
    expect((await get(`/weeks/${last()}/deployments?team=999999`)).status).toBe(404);
    expect((await get(`/pull-requests.csv?kind=incidents&team=x`)).status).toBe(404);
    const theirs = await dashboardCookie(harness.stack.url, github.sim, github.sim.outsider);
    const page = await get(`/weeks/${last()}/deployments`, theirs);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('listing/api');
  });
});
