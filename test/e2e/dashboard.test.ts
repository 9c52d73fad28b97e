import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { finishedWeek, shiftWeek, weekBounds, weekIn } from '#shared/metrics/time-zone.ts';
import { listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import {
  getInstallation,
  type InstallationRecord,
  installationTimeZone,
} from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import type { NudgeSettings } from '#shared/store/nudge-settings.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { teamTimeZone } from '#shared/store/team-settings.ts';
import { readTeams, type StoredTeam } from '#shared/store/teams.ts';
import { signInAs, useBrowser } from '../support/browser.ts';
import { failureNamed } from '../support/failure-named.ts';
import { type Ended, recomputedHistories } from '../support/recomputed-delivery.ts';
import { settled } from '../support/settled.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';

const installationId = 515;
const github = useStackWithGitHub(
  {
    seed: 515,
    installationId,
    organisation: 'lookers',
    repositories: [
      { name: 'app', pullRequests: 900 },
      { name: 'docs', pullRequests: 60 },
    ],
  },
  { daysBack: 0 },
);
const chrome = useBrowser();
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

const signedIn = (login: string, width?: number) =>
  signInAs(chrome.browser, github.harness.stack.url, login, width);

const member = () => github.sim.dataset.members[3]?.login as string;

describe('the dashboard in a browser', () => {
  it("lets a member sign in, find the installation, and watch a sync's progress bar move on its own", async () => {
    // Syncing slowly, as GitHub does, so the bar has somewhere to go while the page is open.
    github.sim.setFaults({ latencyMs: 250 });
    github.sim.webhooks.configure({
      url: github.harness.stack.webhookUrl,
      secret: 'integration-test-secret',
    });
    await github.sim.activity.installed();

    const page = await signedIn(member());
    await page.getByRole('link', { name: 'lookers' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('lookers');
    const bar = page.getByRole('progressbar', { name: 'lookers/app sync progress' });
    const first = Number(await bar.getAttribute('value'));
    // No reload: the page's own script moves the bar.
    // Read from outside the page: its CSP rightly forbids evaluating strings inside it.
    await until(async () => Number(await bar.getAttribute('value')) > first, 30_000);
    await until(async () => (await bar.getAttribute('value')) === '100', 45_000);
    expect(await page.locator('[data-repository] [data-state]').first().textContent()).toContain(
      'synced',
    );
    github.sim.setFaults({});
    await page.context().close();
  });

  it('shows octo-outsider no installation, and a 404 with nothing of it at its URL', async () => {
    const page = await signedIn('octo-outsider');
    await page.getByText('GitHub lists no installation of Flowmeter for you').waitFor();
    const response = await page.goto(`${github.harness.stack.url}/installations/${installationId}`);
    expect(response?.status()).toBe(404);
    expect(await page.content()).not.toContain('lookers');
    const progress = await page.goto(
      `${github.harness.stack.url}/installations/${installationId}/progress.json`,
    );
    expect(progress?.status()).toBe(404);
    await page.context().close();
  });

  it('sends an anonymous visitor to sign in, whatever URL they type', async () => {
    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    for (const path of [
      `/installations/${installationId}`,
      `/installations/${installationId}/progress.json`,
    ]) {
      const response = await page.goto(`${github.harness.stack.url}${path}`);
      // Redirected to GitHub's sign-in page, which names no installation.
      expect(page.url()).toMatch(new RegExp(`^${github.sim.url}/login/oauth/authorize`));
      expect(response?.status()).toBe(200);
      expect(await page.content()).not.toContain('lookers');
    }
    await context.close();
  });

  it('lets an admin change the time zone, refuses a bad one changing nothing, and refuses a member', async () => {
    const admin = await signedIn(github.sim.admin.login);
    await admin.goto(`${github.harness.stack.url}/installations/${installationId}`);
    await admin.getByRole('link', { name: 'Settings' }).click();
    await admin.getByLabel('Time zone').fill('Mars/Olympus');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('alert').waitFor();
    expect(await admin.getByRole('alert').textContent()).toContain(
      'not an IANA time zone: Mars/Olympus',
    );
    expect((await github.harness.get(keys.installation(installationId)))?.timeZone).toBeUndefined();

    await admin.getByLabel('Time zone').fill('Europe/Berlin');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').waitFor();
    expect((await github.harness.get(keys.installation(installationId)))?.timeZone).toBe(
      'Europe/Berlin',
    );
    await admin.context().close();

    const page = await signedIn(member());
    await page.goto(`${github.harness.stack.url}/installations/${installationId}`);
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    const typed = await page.goto(
      `${github.harness.stack.url}/installations/${installationId}/settings`,
    );
    expect(typed?.status()).toBe(403);
    // A forged post, with the member's own session and token, changes nothing either.
    const csrf = await page.locator('input[name=csrf]').first().getAttribute('value');
    const posted = await page.request.post(
      `${github.harness.stack.url}/installations/${installationId}/settings`,
      { form: { csrf: csrf ?? '', recipients: 'me@evil.example', timeZone: 'UTC' } },
    );
    expect(posted.status()).toBe(403);
    expect((await github.harness.get(keys.installation(installationId)))?.timeZone).toBe(
      'Europe/Berlin',
    );
    await page.context().close();
  });

  it("downloads a week's pull requests as CSV whose figures equal the metrics API's", async () => {
    const installation = await github.harness.get(keys.installation(installationId));
    const timeZone = (installation?.timeZone as string | undefined) ?? 'UTC';
    const [job] = await github.harness.stack.rollUpNow(installationId);
    const week = job?.week as string;
    expect(week).toBe(finishedWeek(new Date(), timeZone));
    // The rollup queued, run: a row stored by an earlier rollup would be read as this one's.
    await settled(github.harness.stack);
    const api = (await (
      await fetch(
        `${github.harness.stack.url}/api/installations/${installationId}/metrics/weekly?weeks=1`,
      )
    ).json()) as {
      weeks: { week: string; organisation: { merged: number; cycleTime: { median: number } } }[];
    };
    const organisation = api.weeks[0]?.organisation;

    const page = await signedIn(member());
    const response = await page.request.get(
      `${github.harness.stack.url}/installations/${installationId}/pull-requests.csv?from=${week}&to=${week}`,
    );
    expect(response.headers()['content-type']).toContain('text/csv');
    const [header, ...rows] = (await response.text()).split('\r\n').filter((line) => line !== '');
    expect(header?.split(',')).toContain('cycle_hours');
    const cycleColumn = header?.split(',').indexOf('cycle_hours') as number;
    // Titles hold no comma in the simulator's data, so a plain split reads the columns.
    const cycles = rows.map((row) => Number(row.split(',')[cycleColumn])).sort((a, b) => a - b);
    expect(rows.length).toBe(organisation?.merged);
    const middle = (cycles.length - 1) / 2;
    const median =
      ((cycles[Math.floor(middle)] as number) + (cycles[Math.ceil(middle)] as number)) / 2;
    // Each row's hours are rounded to hundredths: the median may differ in the last place.
    expect(Math.abs(median - (organisation?.cycleTime.median ?? Number.NaN))).toBeLessThanOrEqual(
      0.01,
    );

    const refused = await page.request.get(
      `${github.harness.stack.url}/installations/${installationId}/pull-requests.csv?from=2026-W60`,
    );
    expect(refused.status()).toBe(400);
    await page.context().close();
  });

  it("lists a week's merged pull requests linked to GitHub, and opens a repository's own page", async () => {
    const week = finishedWeek(new Date(), 'Europe/Berlin');
    const organisation = await github.harness.get(
      keys.weeklyMetrics(installationId, week, 'organisation'),
    );
    const page = await signedIn(member());
    await page.goto(`${github.harness.stack.url}/installations/${installationId}`);
    await page.getByRole('link', { name: `Pull requests merged in ${week}` }).click();
    // Per-person figures are off: no author beside each PR's cycle time.
    expect(await page.getByRole('columnheader', { name: 'Author' }).count()).toBe(0);
    const links = page.locator(`a[href^="${github.sim.url}/lookers/"]`);
    const merged = (organisation?.metrics as { merged: number } | undefined)?.merged;
    expect(await links.count()).toBe(merged);
    // The link leads to the pull request on GitHub (the simulator's page for it).
    const href = (await links.first().getAttribute('href')) as string;
    const pr = await page.request.get(href);
    expect(await pr.text()).toContain((await links.first().textContent()) as string);

    await page.goto(`${github.harness.stack.url}/installations/${installationId}`);
    await page.getByRole('link', { name: 'lookers/app' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('lookers/app');
    expect(await page.locator('figure > svg').count()).toBe(2);
    await page.context().close();
  });

  it("shows the week's delivery (DORA) figures with their levels, as the metrics API gives them", async () => {
    type Week = {
      delivery: {
        figures: { deployments: number };
        levels: { deploymentFrequency: string; source: { url: string } };
      } | null;
    };
    const latest = async () =>
      (
        (await (
          await fetch(
            `${github.harness.stack.url}/api/installations/${installationId}/metrics/weekly?weeks=1`,
          )
        ).json()) as { weeks: Week[] }
      ).weeks[0]?.delivery;
    const page = await signedIn(member());
    const row = page.getByRole('row', { name: /Production deployments/ });
    // The rollups queued before may still be running (a level counts four weeks of deployments):
    // the page is read between two equal answers of the API.
    let delivery: Week['delivery'] | undefined;
    let cells: string[] = [];
    await until(async () => {
      const before = await latest();
      await page.goto(`${github.harness.stack.url}/installations/${installationId}`);
      cells = await row.getByRole('cell').allTextContents();
      delivery = await latest();
      return JSON.stringify(before) === JSON.stringify(delivery);
    });
    expect(delivery?.figures.deployments).toBeGreaterThan(0);
    expect(cells).toEqual([
      'Production deployments',
      String(delivery?.figures.deployments),
      expect.any(String),
      expect.any(String),
      delivery?.levels.deploymentFrequency,
    ]);
    expect(await page.getByRole('link', { name: /State of DevOps/ }).getAttribute('href')).toBe(
      delivery?.levels.source.url,
    );
    // Twelve weeks of deployments and of lead time join the four flow charts.
    expect(await page.getByRole('figure').count()).toBe(6);
    await page.context().close();
  });

  it("opens a week's deployments from its delivery figures, and a failed deployment's week names why it failed, with no serious accessibility violation", async () => {
    const timeZone = installationTimeZone(
      (await getInstallation(github.harness.table, installationId)) as InstallationRecord,
    );
    const last = finishedWeek(new Date(), timeZone);
    // The second path: the deployments recomputed from GitHub's REST data, and why each failed.
    const deployments = (await recomputedHistories(github.sim)).flatMap((repo) => repo.history);
    // A failure of the last eight finished weeks, restored within a day; one of a rollback, a revert
    // or an incident rather than a failure status where there is one.
    const from = weekBounds(shiftWeek(last, -7), timeZone).start.getTime();
    const until = weekBounds(last, timeZone).end.getTime();
    const failures = deployments.filter(
      (deploy) =>
        deploy.failedBy !== null &&
        deploy.end >= from &&
        deploy.end < until &&
        deploy.restoredAt !== null &&
        deploy.restoredAt - (deploy.failedAt as number) < 86_400_000,
    );
    expect(failures.length).toBeGreaterThan(0);
    const failed = (failures.find((deploy) => deploy.failedBy?.kind !== 'status') ??
      failures[0]) as Ended;
    const named = failureNamed(failed.failedBy as NonNullable<Ended['failedBy']>);

    const page = await signedIn(member());
    await page.goto(`${github.harness.stack.url}/installations/${installationId}`);
    await page.getByRole('link', { name: `production deployments of ${last}` }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      `lookers: deployments in ${last}`,
    );
    await page.goto(
      `${github.harness.stack.url}/installations/${installationId}/weeks/${weekIn(failed.end, timeZone)}/deployments`,
    );
    const row = page.getByRole('row').filter({ hasText: ` ${failed.id}` });
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Failed:');
    expect(text).toContain(named);
    const violations = (await page.evaluate(
      `${axeSource}; axe.run().then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target).join(' ')))`,
    )) as string[];
    expect(violations).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('shows per-person figures only once an admin turns them on', async () => {
    const page = await signedIn(member());
    const authorId = github.sim.dataset.members[0]?.id as number;
    const hidden = await page.goto(
      `${github.harness.stack.url}/installations/${installationId}/authors/${authorId}`,
    );
    expect(hidden?.status()).toBe(404);
    await page.goto(`${github.harness.stack.url}/installations/${installationId}`);
    expect(await page.getByRole('heading', { name: 'By author' }).count()).toBe(0);

    const admin = await signedIn(github.sim.admin.login);
    await admin.goto(`${github.harness.stack.url}/installations/${installationId}/settings`);
    await admin.getByLabel('Show figures per person').check();
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').waitFor();
    await admin.context().close();

    await page.goto(`${github.harness.stack.url}/installations/${installationId}`);
    await page.getByRole('heading', { name: 'By author' }).waitFor();
    const author = page.locator(`a[href^="/installations/${installationId}/authors/"]`).first();
    const name = (await author.textContent()) as string;
    await author.click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
    await page.context().close();
  });

  it('lets an admin choose what counts as a deployment, refusing a pattern that is no regular expression', async () => {
    const admin = await signedIn(github.sim.admin.login);
    const base = `${github.harness.stack.url}/installations/${installationId}`;
    const stored = () => github.harness.get(keys.installation(installationId));
    await admin.goto(`${base}/settings`);
    await admin.getByLabel('Production environments').fill('(prod');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('alert').waitFor();
    expect(await admin.getByRole('alert').textContent()).toContain(
      'production environments: not a regular expression: (prod',
    );
    // What was typed is shown again; nothing was stored.
    expect(await admin.getByLabel('Production environments').inputValue()).toBe('(prod');
    expect(await stored()).not.toHaveProperty('productionEnvironments');

    // Previewed, staging counts too: shown beside what counts now, and nothing stored.
    await admin.getByLabel('Production environments').fill('^(production|staging)$');
    await admin.getByRole('button', { name: 'Preview delivery rules' }).click();
    await admin.getByRole('heading', { name: /^Preview of the delivery rules/ }).waitFor();
    expect(await admin.getByRole('status').textContent()).toMatch(
      /^With these rules \d+ production deployments and \d+ failures would count over the last 4 finished weeks/,
    );
    const deployed = admin.getByRole('row', { name: /^Production deployments \(successful\)/ });
    const [, now, proposed] = await deployed.getByRole('cell').allTextContents();
    expect(Number(proposed)).toBeGreaterThan(Number(now));
    expect(
      await admin
        .getByRole('row', { name: /^staging/ })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['staging', expect.stringMatching(/^\d+$/), 'no', 'yes']);
    expect(await admin.getByLabel('Production environments').inputValue()).toBe(
      '^(production|staging)$',
    );
    expect(await stored()).not.toHaveProperty('productionEnvironments');
    const violations = (await admin.evaluate(
      `${axeSource}; axe.run().then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target).join(' ')))`,
    )) as string[];
    expect(violations).toEqual([]);

    await admin.getByLabel('Production environments').fill('^(prod|production)$');
    await admin.getByLabel('A deployment is').selectOption('releases');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').waitFor();
    expect(await stored()).toMatchObject({ deploymentSource: 'releases' });
    // Left as the default, the pattern is not stored: the installation keeps following the default.
    expect(await stored()).not.toHaveProperty('productionEnvironments');
    expect(await admin.getByLabel('A deployment is').inputValue()).toBe('releases');
    const marked = await listDirtyWeeks(github.harness.table, installationId);
    expect(marked.map((mark) => mark.week)).toContain(
      finishedWeek(new Date(), (await stored())?.timeZone as string),
    );

    await admin.goto(base);
    await admin
      .getByText(
        "A deployment is each published release other than a pre-release, of its tag's commit",
      )
      .waitFor();
    await admin.context().close();
    await updateSettings(github.harness.table, installationId, { deploymentSource: 'deployments' });
  });

  it('lets an admin give a team its own digest recipients and time zone, refusing a zone that does not exist', async () => {
    const admin = await signedIn(github.sim.admin.login);
    await admin.goto(`${github.harness.stack.url}/installations/${installationId}/settings`);
    const { teams } = await readTeams(github.harness.table, installationId);
    const team = teams.find((known) => known.deletedAt === null) as StoredTeam;
    await admin.getByRole('link', { name: team.name, exact: true }).click();
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe(
      `${team.name} settings`,
    );
    await admin.getByLabel("The team's time zone").fill('Asia/Atlantis');
    await admin.getByLabel("The team's weekly digest recipients").fill('lead@team.example');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('alert').waitFor();
    expect(await admin.getByRole('alert').textContent()).toContain(
      'not an IANA time zone: Asia/Atlantis',
    );
    const stored = async () =>
      (await readTeams(github.harness.table, installationId)).teams.find(
        (known) => known.teamId === team.teamId,
      )?.settings;
    expect(await stored()).toEqual({ recipients: [], settingsVersion: 0 });

    await admin.getByLabel("The team's time zone").fill('Asia/Tokyo');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').waitFor();
    expect(await stored()).toMatchObject({
      recipients: [{ email: 'lead@team.example' }],
      timeZone: 'Asia/Tokyo',
    });
    await admin.goto(`${github.harness.stack.url}/installations/${installationId}/settings`);
    await admin.getByText(`${team.name}: digest to 1 recipient, Asia/Tokyo`).waitFor();
    await admin.context().close();
  });

  it("lets an admin set a team's working agreement and Slack webhook, showing the URL masked and refusing a URL that is not Slack's", async () => {
    const admin = await signedIn(github.sim.admin.login);
    const { teams } = await readTeams(github.harness.table, installationId);
    const team = teams.find((known) => known.deletedAt === null) as StoredTeam;
    const url = `${github.harness.stack.url}/installations/${installationId}/settings/teams/${team.teamId}`;
    const item = () => github.harness.get(keys.team(installationId, team.teamId));
    await admin.goto(url);
    const before = await item();

    await admin.getByLabel('First review within').fill('4');
    await admin.getByLabel('Slack incoming webhook URL').fill('https://example.com/hooks/T1/B1');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('alert').waitFor();
    expect(await admin.getByRole('alert').textContent()).toContain(
      'a Slack incoming webhook URL starts https://hooks.slack.com/',
    );
    expect(await item()).toEqual(before);

    const secret = 'https://hooks.slack.com/services/T0LOOK/B0LOOK/wholeSecretPart1234';
    await admin.getByLabel('Slack incoming webhook URL').fill(secret);
    await admin.getByLabel('Send at').selectOption('9');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').waitFor();
    const html = await admin.content();
    expect(html).toContain('https://hooks.slack.com/…1234');
    expect(html).not.toContain('wholeSecret');
    expect(await admin.getByLabel('First review within').inputValue()).toBe('4');
    expect(await admin.getByLabel('Slack incoming webhook URL').inputValue()).toBe('');
    const stored = (await item()) as { agreements?: unknown; nudge?: NudgeSettings } | undefined;
    expect(stored?.agreements).toEqual({ firstReviewWithinHours: 4 });
    expect(stored?.nudge).toMatchObject({
      hour: 9,
      slack: { hint: 'https://hooks.slack.com/…1234' },
    });
    expect(JSON.stringify(stored)).not.toContain('wholeSecret');
    const violations = (await admin.evaluate(
      `${axeSource}; axe.run().then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id))`,
    )) as string[];
    expect(violations).toEqual([]);

    // Saving with the field empty keeps the URL; the checkbox removes it.
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').waitFor();
    expect((await item())?.nudge).toMatchObject({
      slack: { sealed: stored?.nudge?.slack?.sealed },
    });
    await admin.getByLabel('Remove the Slack webhook').check();
    await admin.getByLabel('Send at').selectOption('');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Now: none').waitFor();
    expect((await item())?.nudge).toEqual(
      expect.not.objectContaining({ slack: expect.anything() }),
    );

    // Rolled up again, the team's page shows the agreement's share met, as the stored row has it.
    const installation = await getInstallation(github.harness.table, installationId);
    const week = finishedWeek(new Date(), teamTimeZone(team, installation as InstallationRecord));
    await github.harness.stack.rollUpNow(installationId);
    let shares: { firstReviewWithinHours?: { met: number; of: number } } | undefined;
    await until(async () => {
      const row = await github.harness.get(
        keys.weeklyMetrics(installationId, week, `team#${team.teamId}`),
      );
      shares = row?.agreements as typeof shares;
      return shares?.firstReviewWithinHours !== undefined;
    }, 60_000);
    await admin.goto(
      `${github.harness.stack.url}/installations/${installationId}/teams/${team.teamId}`,
    );
    await admin.getByRole('heading', { name: 'Working agreements' }).waitFor();
    const { met, of } = (shares as Required<NonNullable<typeof shares>>).firstReviewWithinHours;
    expect(
      await admin.getByRole('row', { name: /first review within 4 h/ }).textContent(),
    ).toContain(of === 0 ? '—' : `(${met} of ${of})`);
    const teamViolations = (await admin.evaluate(
      `${axeSource}; axe.run().then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id))`,
    )) as string[];
    expect(teamViolations).toEqual([]);
    await admin.context().close();
  }, 90_000);

  it('lets an admin count time in working hours, refusing hours that end before they start, and then names the clock beside every duration', async () => {
    const admin = await signedIn(github.sim.admin.login);
    const base = `${github.harness.stack.url}/installations/${installationId}`;
    const stored = () => github.harness.get(keys.installation(installationId));
    await admin.goto(`${base}/settings`);
    await admin.getByLabel('Count time as').selectOption('working');
    await admin.getByLabel('Working hours, such as').fill('17:00-09:00');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('alert').waitFor();
    expect(await admin.getByRole('alert').textContent()).toContain(
      'working hours end before they start (17:00 to 09:00)',
    );
    expect(await stored()).not.toHaveProperty('workingCalendar');

    await admin.getByLabel('Working hours, such as').fill('09:00-17:00');
    await admin.getByLabel('Saturday').check();
    await admin.getByLabel('Public holidays of a country, state or region').fill('DE-BY');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').waitFor();
    expect(await stored()).toMatchObject({
      countTime: 'working',
      workingCalendar: {
        workingDays: [1, 2, 3, 4, 5, 6],
        workingHours: { start: '09:00', end: '17:00' },
        holidays: { country: 'DE', state: 'BY' },
      },
    });
    // The holidays function resolves the region's dates; the page then counts them.
    await until(async () => {
      await admin.reload();
      const status = await admin.locator('#holidaysStatus').textContent();
      return status?.startsWith('Counting the public holidays of DE-BY (Bayern, Germany)') ?? false;
    }, 30_000);
    const [job] = await github.harness.stack.rollUpNow(installationId);
    await until(async () => {
      const row = await github.harness.get(
        keys.weeklyMetrics(installationId, job?.week as string, 'organisation'),
      );
      return Boolean((row?.metrics as { working?: unknown } | undefined)?.working);
    }, 60_000);
    await admin.goto(base);
    await admin
      .getByText('Durations in working hours (Mon Tue Wed Thu Fri Sat, 09:00–17:00')
      .waitFor();
    const cycle = admin.getByRole('row', { name: /Cycle time \(median\)/ });
    expect(await cycle.textContent()).toMatch(/working h/);
    await admin.context().close();
    await updateSettings(github.harness.table, installationId, {
      countTime: 'calendar',
      calendar: null,
    });
  }, 90_000);

  it('signs out: the session ends, and the next page asks to sign in again', async () => {
    const page = await signedIn(member());
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with GitHub' }).waitFor();
    const again = await page.goto(`${github.harness.stack.url}/installations/${installationId}`);
    expect(page.url()).toMatch(new RegExp(`^${github.sim.url}/login/oauth/authorize`));
    expect(again?.status()).toBe(200);
    await page.context().close();
  });

  it('fits a 375 px wide screen and has no serious or critical accessibility violation', async () => {
    const page = await signedIn(member(), 375);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const week = finishedWeek(new Date(), 'Europe/Berlin');
    for (const path of [
      '/',
      `/installations/${installationId}`,
      `/installations/${installationId}/settings`,
      `/installations/${installationId}/weeks/${week}`,
      `/installations/${installationId}/weeks/${week}/deployments`,
      `/installations/${installationId}/weeks/${week}/incidents`,
      `/installations/${installationId}/weeks/${week}/ai-assisted`,
      `/installations/${installationId}/repositories/${github.sim.dataset.repositories[0]?.id}`,
    ]) {
      const response = await page.goto(`${github.harness.stack.url}${path}`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      const widths = (await page.evaluate(
        '({ page: document.documentElement.scrollWidth, screen: window.innerWidth })',
      )) as { page: number; screen: number };
      expect(widths.page, path).toBeLessThanOrEqual(widths.screen);
      // axe runs through the debugging protocol: the page's CSP rightly refuses inline scripts.
      const violations = (await page.evaluate(
        `${axeSource}; axe.run().then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target).join(' ')))`,
      )) as string[];
      expect(violations, path).toEqual([]);
    }
    // No request to any host but the dashboard's own.
    expect(requests.every((url) => url.startsWith(github.harness.stack.url))).toBe(true);
    await page.context().close();
  });
});
