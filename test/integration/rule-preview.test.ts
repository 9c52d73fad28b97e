import { describe, expect, it } from 'vitest';
import { finishedWeek, shiftWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { deliveryHistories, tableSource } from '#shared/rollup/delivery-histories.ts';
import { rulePreview } from '#shared/rollup/rule-preview.ts';
import { listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { getInstallation, type InstallationRecord } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { withRules } from '#shared/store/settings.ts';
import { countingTable } from '../support/counting-table.ts';
import { dashboardCookie } from '../support/dashboard-sign-in.ts';
import { issuePayload, repository } from '../support/payloads.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';
import { weeklyMetricItems } from '../support/weekly-metric-items.ts';

const installationId = 2929;
const organisation = 'previewers';
const github = useStackWithGitHub(
  {
    seed: 2929,
    installationId,
    organisation,
    repositories: [
      { name: 'api', pullRequests: 160 },
      { name: 'web', pullRequests: 80 },
    ],
  },
  { daysBack: 0, readsNotifications: true, copilotMetrics: 'disabled' },
);
const harness = github.harness;
const settingsUrl = () => `${harness.stack.url}/installations/${installationId}/settings`;

/** Rolls the installation up now; resolves once the job's digest is queued, after every week marked dirty. */
async function rollUpNow() {
  const [job] = await harness.stack.rollUpNow(installationId);
  await until(async () =>
    (await harness.drain(harness.stack.aws.notifyQueueUrl)).some(
      (body) => (body as { week?: string }).week === job?.week,
    ),
  );
}

/** The settings form as an admin posts it: the delivery rules given, everything else as it is. */
function settingsForm(
  page: string,
  rules: { productionEnvironments: string; incidentLabels: string },
  preview: boolean,
) {
  const hidden = (name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';
  const form = new URLSearchParams({
    csrf: hidden('csrf'),
    version: hidden('version'),
    recipients: '',
    timeZone: 'UTC',
    deploymentSource: 'deployments',
    incidentWindowHours: '24',
    countTime: 'calendar',
    workingHours: '',
    daysOff: '',
    ...rules,
  });
  for (const day of [1, 2, 3, 4, 5]) form.append('workingDays', String(day));
  if (preview) form.set('preview', 'rules');
  return form;
}

/** The preview's counts as the page shows them. */
function shownCounts(page: string, rules: 'now' | 'proposed') {
  const shown = (key: string) =>
    Number(new RegExp(`data-preview="${rules}\\.${key}">(\\d+)<`).exec(page)?.[1] ?? Number.NaN);
  return {
    deployments: shown('deployments'),
    ended: shown('ended'),
    failed: shown('failed'),
    incidents: shown('incidents'),
  };
}

/** The environments table as the page shows it: name, deployments, counts now, counts with the rules typed. */
function shownEnvironments(page: string) {
  const section = page.slice(page.indexOf('Environments GitHub deployments went to'));
  return [
    ...section.matchAll(
      /<tr><td>([^<]+)<\/td><td class="number">(\d+)<\/td><td>(yes|no)<\/td><td>(yes|no)<\/td><\/tr>/g,
    ),
  ].map(([, name, deployments, now, proposed]) => ({
    name,
    deployments: Number(deployments),
    now,
    proposed,
  }));
}

/** The organisation's stored delivery figures over the weeks, summed as the preview sums them. */
async function storedCounts(weeks: readonly string[]) {
  const items = await weeklyMetricItems(harness, installationId);
  const rows = weeks.map(
    (week) =>
      items.find((item) => item.week === week && item.row === 'organisation')?.delivery as
        | { deployments: number; changeFailure: { failed: number; deployments: number } | null }
        | undefined,
  );
  return {
    deployments: rows.reduce((sum, row) => sum + (row?.deployments ?? 0), 0),
    ended: rows.reduce((sum, row) => sum + (row?.changeFailure?.deployments ?? 0), 0),
    failed: rows.reduce((sum, row) => sum + (row?.changeFailure?.failed ?? 0), 0),
  };
}

describe('the rule preview on the settings page', () => {
  it('shows what the rules typed would count, storing nothing, and equals what the rollup stores once they are saved', async () => {
    await github.installAndSync();
    const last = finishedWeek(new Date(), 'UTC');
    const weeks = [3, 2, 1, 0].map((back) => shiftWeek(last, -back));
    // Two incidents in the last finished week, one of each severity, so the labels typed matter
    // (the simulator's own are few, and where they fall depends on the day the test runs).
    const [repo] = github.sim.dataset.repositories;
    const monday = weekBounds(last, 'UTC').start.getTime();
    for (const [index, severity] of ['sev1', 'sev2'].entries())
      await harness.send(
        'issues',
        issuePayload('opened', installationId, repository(repo?.id ?? 0, repo?.name), {
          number: 900_001 + index,
          title: 'Payments are failing',
          labels: ['incident', severity],
          createdAt: new Date(monday + (2 + index) * 86_400_000 + 12 * 3_600_000).toISOString(),
        }),
      );
    await rollUpNow();
    const cookie = await dashboardCookie(harness.stack.url, github.sim, github.sim.admin);
    const rules = { productionEnvironments: '^(production|staging)$', incidentLabels: '^sev1$' };
    const loaded = await (await fetch(settingsUrl(), { headers: { cookie } })).text();
    const before = {
      installation: await harness.get(keys.installation(installationId)),
      rows: await weeklyMetricItems(harness, installationId),
      marks: await listDirtyWeeks(harness.table, installationId),
    };

    const refused = await fetch(settingsUrl(), {
      method: 'POST',
      headers: { cookie },
      body: settingsForm(loaded, { ...rules, productionEnvironments: '(prod' }, true),
    });
    const previewed = await fetch(settingsUrl(), {
      method: 'POST',
      headers: { cookie },
      body: settingsForm(loaded, rules, true),
    });
    const page = await previewed.text();

    // Bad input: the error a save gives, and no preview.
    expect(refused.status).toBe(400);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain('production environments: not a regular expression: (prod');
    expect(refusedPage).not.toContain('data-rule-preview');
    expect(previewed.status).toBe(200);
    expect(page).toContain(`Preview of the delivery rules, ${weeks[0]} to ${weeks[3]}`);
    // The form comes back as typed, to save or change.
    expect(page).toContain('value="^(production|staging)$"');
    // Nothing stored: settings, weekly rows and the rollup's marks as they were.
    expect(await harness.get(keys.installation(installationId))).toEqual(before.installation);
    expect(await weeklyMetricItems(harness, installationId)).toEqual(before.rows);
    expect(await listDirtyWeeks(harness.table, installationId)).toEqual(before.marks);

    // Now: what the stored rows count.
    expect(shownCounts(page, 'now')).toMatchObject(await storedCounts(weeks));

    // Second path: the simulator's REST data. Deployments made in the four weeks, by environment,
    // and issues opened in them labelled "incident" (counted now) and "sev1" (with the rules typed).
    const octokit = simOctokit(github.sim);
    const { start } = weekBounds(weeks[0] as string, 'UTC');
    const { end } = weekBounds(weeks[3] as string, 'UTC');
    const inWeeks = (at: string) =>
      Date.parse(at) >= start.getTime() && Date.parse(at) < end.getTime();
    const byEnvironment = new Map<string, number>();
    const labelled = { incident: 0, sev1: 0 };
    for (const repo of github.sim.dataset.repositories) {
      const path = { owner: organisation, repo: repo.name, per_page: 100 };
      for (const deployment of await octokit.paginate(
        'GET /repos/{owner}/{repo}/deployments',
        path,
      ))
        if (inWeeks(deployment.created_at))
          byEnvironment.set(
            deployment.environment,
            (byEnvironment.get(deployment.environment) ?? 0) + 1,
          );
      for (const issue of await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
        ...path,
        state: 'all',
      }))
        if (!issue.pull_request && inWeeks(issue.created_at)) {
          const names = issue.labels.map((label) =>
            typeof label === 'string' ? label : label.name,
          );
          if (names.includes('incident')) labelled.incident++;
          if (names.includes('sev1')) labelled.sev1++;
        }
    }
    expect(shownEnvironments(page)).toEqual(
      [...byEnvironment]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, deployments]) => ({
          name,
          deployments,
          now: name === 'production' ? 'yes' : 'no',
          proposed: 'yes',
        })),
    );
    // With the two sent above, which GitHub's REST data does not hold.
    expect(shownCounts(page, 'now').incidents).toBe(labelled.incident + 2);
    expect(shownCounts(page, 'proposed').incidents).toBe(labelled.sev1 + 1);
    // Staging's deployments join: the change shows, so the comparison below can fail.
    const proposed = shownCounts(page, 'proposed');
    expect(proposed.deployments).toBeGreaterThan(shownCounts(page, 'now').deployments);

    // Saved and rolled up again: the stored weeks are what the preview said.
    const saved = await fetch(settingsUrl(), {
      method: 'POST',
      headers: { cookie },
      body: settingsForm(loaded, rules, false),
      redirect: 'manual',
    });
    expect(saved.status).toBe(303);
    await rollUpNow();
    expect(await storedCounts(weeks)).toEqual({
      deployments: proposed.deployments,
      ended: proposed.ended,
      failed: proposed.failed,
    });
  }, 240_000);

  it('reads the stored history once: fewer reads than the eight week rollups it stands for', async () => {
    const installation = (await getInstallation(
      harness.table,
      installationId,
    )) as InstallationRecord;
    // Back to the defaults from the rules saved above.
    const proposed = withRules(installation, {
      productionEnvironments: '^(prod|production)$',
      incidentLabels: 'incident',
    });
    const now = new Date();
    const preview = countingTable(harness.table);
    const rollups = countingTable(harness.table);

    await rulePreview(
      tableSource(preview.table, installationId),
      installation,
      proposed,
      ['UTC'],
      now,
    );
    const last = finishedWeek(now, 'UTC');
    for (const rules of [installation, proposed])
      for (const back of [3, 2, 1, 0])
        await deliveryHistories(
          tableSource(rollups.table, installationId),
          rules,
          weekBounds(shiftWeek(last, -back), 'UTC'),
          now,
        );

    expect(preview.reads.queries).toBeLessThan(rollups.reads.queries);
    expect(preview.reads.readUnits).toBeLessThan(rollups.reads.readUnits);
  });
});
