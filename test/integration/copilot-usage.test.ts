import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { fetchCopilotUsage } from '#shared/copilot/fetch-copilot-usage.ts';
import { createAppClient } from '#shared/github/app-client.ts';
import { fetchCopilotReport } from '#shared/github/copilot-reports.ts';
import { finishedWeek, weekDays } from '#shared/metrics/time-zone.ts';
import type { CopilotJob } from '#shared/queue/copilot-job.ts';
import { table } from '#shared/resources.ts';
import { copilotDays } from '#shared/store/copilot-usage.ts';
import { recordInstallation } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { queryAll } from '#shared/store/table.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';

const installationId = 717;
const github = useStackWithGitHub(
  {
    seed: 717,
    installationId,
    organisation: 'pilots',
    repositories: [{ name: 'app', pullRequests: 120 }],
    weeks: 6,
  },
  { daysBack: 0, readsNotifications: true },
);
const harness = github.harness;
const day = 86_400_000;

const job = (trigger: CopilotJob['trigger'] = 'reconcile'): CopilotJob => ({
  version: 1,
  kind: 'copilot-usage',
  idempotencyKey: `test:${Date.now()}`,
  installationId,
  trigger,
  requestedAt: new Date().toISOString(),
});

/** The fetch as the deployed function wires it, against the simulator, `daysAhead` days from now. */
function fetchNow(daysAhead = 0, continued: { delaySeconds: number }[] = []) {
  const sim = github.sim;
  const { request } = createAppClient({
    appId: sim.appId,
    privateKey: sim.privateKey,
    installationId,
    baseUrl: sim.url,
    remainingMs: () => 60_000,
  });
  return fetchCopilotUsage(job(), {
    table: harness.table,
    report: (organisation, report, reportDay) =>
      fetchCopilotReport({ request }, organisation, report, reportDay),
    continueLater: async (_next, delaySeconds) => {
      continued.push({ delaySeconds });
    },
    now: () => new Date(Date.now() + daysAhead * day),
    remainingMs: () => 60_000,
    historyDays: 365,
  });
}

const copilotItems = (prefix: string) =>
  queryAll<Record<string, unknown>>(harness.table, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
    ExpressionAttributeValues: { ':pk': keys.copilotPartition(installationId), ':prefix': prefix },
  });

const reportRequests = (report: string) =>
  github.sim.requestLog.filter((entry) =>
    entry.route.endsWith(`/copilot/metrics/reports/${report}`),
  ).length;

const access = async () =>
  (await harness.get(keys.installation(installationId)))?.copilot as { access: string } | undefined;

describe('Copilot usage', () => {
  it('stores each day GitHub published once, from the installation on; a second fetch asks only for the unpublished day', async () => {
    await github.installAndSync();
    // The installation's webhook queued the first fetch; its worker records access when done.
    await until(async () => (await access())?.access === 'reading');

    const days = await copilotItems('DAY#');
    // A year back from yesterday, but yesterday itself: not yet published (GitHub takes two days).
    expect(days).toHaveLength(364);
    const reported = days.filter((item) => item.outcome === 'reported');
    // The simulated organisation's reports run from its first day (six weeks ago) to two days ago.
    expect(reported.length).toBeGreaterThanOrEqual(40);
    expect(reported.length).toBeLessThanOrEqual(44);
    expect(days.filter((item) => item.outcome === 'not-available')).toHaveLength(
      364 - reported.length,
    );
    expect(reportRequests('organization-1-day')).toBe(365);
    expect(reportRequests('users-1-day')).toBe(reported.length);
    const users = (await copilotItems('USER#')).length;

    const again = await fetchNow();
    expect(again).toEqual({ outcome: 'done', stored: [] });
    expect(reportRequests('organization-1-day')).toBe(366);
    expect(reportRequests('users-1-day')).toBe(reported.length);
    expect(await copilotItems('DAY#')).toHaveLength(364);
    expect(await copilotItems('USER#')).toHaveLength(users);
  });

  it("rolls up a week's Copilot figures equal to the sums of GitHub's raw report files", async () => {
    const [job] = await harness.stack.rollUpNow(installationId);
    const week = finishedWeek(new Date(), 'UTC');
    expect(job?.week).toBe(week);
    await until(async () => {
      const row = await harness.get(keys.weeklyMetrics(installationId, week, 'organisation'));
      return Boolean((row?.ai as { copilot?: unknown } | undefined)?.copilot);
    });
    const row = await harness.get(keys.weeklyMetrics(installationId, week, 'organisation'));

    // The second path: the week's seven report files, downloaded as any client of GitHub would.
    const octokit = simOctokit(github.sim);
    const [monday] = weekDays(week);
    const lines = async (report: string, reportDay: string) => {
      const { data } = await octokit.request(`GET /orgs/pilots/copilot/metrics/reports/${report}`, {
        day: reportDay,
      });
      const [link] = (data as { download_links: string[] }).download_links;
      const text = await (await fetch(link as string)).text();
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line));
    };
    const weekDates = Array.from({ length: 7 }, (_, i) =>
      new Date(Date.parse(`${monday}T00:00:00Z`) + i * day).toISOString().slice(0, 10),
    );
    const totals = (
      await Promise.all(weekDates.map((d) => lines('organization-1-day', d)))
    ).flatMap((file) => file.flatMap((line) => line.day_totals));
    const users = (await Promise.all(weekDates.map((d) => lines('users-1-day', d)))).flat();
    const sum = (field: string) => totals.reduce((total, entry) => total + entry[field], 0);
    const people = (test: (user: Record<string, number | boolean>) => boolean) =>
      new Set(users.filter(test).map((user) => user.user_id)).size;
    const suggestions = sum('code_generation_activity_count');
    const acceptances = sum('code_acceptance_activity_count');
    const ai = row?.ai as { copilot: unknown } | undefined;
    expect(ai?.copilot).toEqual({
      daysReported: 7,
      activeUsers: people(() => true),
      engagedUsers: people(
        (user) =>
          (user.user_initiated_interaction_count as number) > 0 ||
          (user.code_acceptance_activity_count as number) > 0,
      ),
      chatUsers: people((user) => user.used_chat === true),
      agentUsers: people((user) => user.used_agent === true),
      codeSuggestions: suggestions,
      codeAcceptances: acceptances,
      acceptanceRate: Math.round((acceptances / suggestions) * 100) / 100,
      linesSuggested: sum('loc_suggested_to_add_sum'),
      linesAccepted: sum('loc_added_sum'),
      pullRequestsCreatedByCopilot: totals.reduce(
        (total, entry) => total + entry.pull_requests.total_created_by_copilot,
        0,
      ),
      pullRequestsReviewedByCopilot: totals.reduce(
        (total, entry) => total + entry.pull_requests.total_reviewed_by_copilot,
        0,
      ),
    });

    // Each author row says whether its author appears in the week's users report.
    const copilotUsers = new Set(users.map((user) => user.user_id));
    const authors = await queryAll<Record<string, unknown>>(harness.table, {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :week)',
      ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
      ExpressionAttributeValues: {
        ':pk': keys.weeklyMetricsPartition(installationId),
        ':week': `${week}#author#`,
      },
    });
    expect(authors.length).toBeGreaterThan(0);
    for (const author of authors) {
      const id = Number(String(author.row).split('#')[1]);
      expect(author.copilotActive, String(author.name)).toBe(copilotUsers.has(id));
    }
  });

  it('records a permission not granted, or metrics turned off, once, without retrying', async () => {
    github.sim.copilot.mode = 'not-granted';
    const asked = reportRequests('organization-1-day');
    // Tomorrow, one more day is published: the one request it makes is refused.
    await expect(fetchNow(1)).resolves.toEqual({ outcome: 'refused', stored: [] });
    expect(reportRequests('organization-1-day')).toBe(asked + 1);
    expect(await access()).toMatchObject({
      access: 'no-permission',
      detail: expect.stringMatching(/not accessible by integration/),
    });

    github.sim.copilot.mode = 'disabled';
    await expect(fetchNow(1)).resolves.toEqual({ outcome: 'refused', stored: [] });
    expect(await access()).toMatchObject({ access: 'disabled' });
  });

  it('stores a day GitHub has no data for (fewer than five users) as such', async () => {
    github.sim.copilot.mode = 'too-few-users';
    // Two published days are forgotten, as if never fetched; asked again, both answer 204.
    const forgotten = [3, 4].map((back) =>
      new Date(Date.now() - back * day).toISOString().slice(0, 10),
    );
    for (const reportDay of forgotten)
      await harness.db.send(
        new DeleteCommand({
          TableName: harness.stack.aws.tableName,
          Key: keys.copilotDay(installationId, reportDay),
        }),
      );
    const result = await fetchNow();
    expect(result.outcome).toBe('done');
    expect(result.stored).toEqual(forgotten);
    for (const stored of result.stored) {
      expect(await harness.get(keys.copilotDay(installationId, stored))).toMatchObject({
        outcome: 'no-data',
        organisation: null,
        users: 0,
      });
    }
    expect(await access()).toMatchObject({ access: 'reading' });
    const days = await copilotDays(
      harness.table,
      installationId,
      forgotten[1] as string,
      forgotten[0] as string,
    );
    expect(days.noDataDays).toBe(2);
    github.sim.copilot.mode = 'enabled';
  });

  it('waits out a spent rate limit with a delayed continuation instead of failing', async () => {
    const sim = await startGitHubSimulator({
      dataset: { seed: 3, installationId: 718, organisation: 'tight', repositories: [] },
      rateLimits: { coreLimit: 3 },
    });
    try {
      await recordInstallation(
        harness.table,
        { id: 718, account: { login: 'tight', id: 9718, type: 'Organization' } },
        new Date(),
        'active',
      );
      const { request } = createAppClient({
        appId: sim.appId,
        privateKey: sim.privateKey,
        installationId: 718,
        baseUrl: sim.url,
        remainingMs: () => 60_000,
      });
      const continued: CopilotJob[] = [];
      const delays: number[] = [];
      const result = await fetchCopilotUsage(
        { ...job(), installationId: 718 },
        {
          table: harness.table,
          report: (organisation, report, reportDay) =>
            fetchCopilotReport({ request }, organisation, report, reportDay),
          continueLater: async (next, delaySeconds) => {
            continued.push(next);
            delays.push(delaySeconds);
          },
          now: () => new Date(),
          remainingMs: () => 60_000,
          historyDays: 30,
        },
      );
      // Three requests in the hour: days are stored until the budget is spent, then it waits.
      expect(result.outcome).toBe('waiting');
      expect(result.stored.length).toBeGreaterThan(0);
      expect(continued).toMatchObject([{ installationId: 718, trigger: 'continuation' }]);
      expect(delays[0]).toBe(900);
    } finally {
      await sim.stop();
    }
  });
});
