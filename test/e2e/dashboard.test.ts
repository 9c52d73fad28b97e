import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.ts';
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

/** Signs in through GitHub's (the simulator's) authorize page as `login`; returns the page on the dashboard. */
async function signedIn(login: string, width = 1024): Promise<Page> {
  const context = await chrome.browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(github.harness.stack.url);
  await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
  await page.getByRole('button', { name: login, exact: true }).click();
  await page.waitForURL(`${github.harness.stack.url}/`);
  return page;
}

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

  it('fits a 375 px wide screen and has no serious or critical accessibility violation', async () => {
    const page = await signedIn(member(), 375);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    for (const path of ['/', `/installations/${installationId}`]) {
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
