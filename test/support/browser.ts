import chromium from '@sparticuz/chromium';
import { type Browser, type Page, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Headless Chromium for one test file: the binary @sparticuz/chromium ships
 * inside its npm package, driven by playwright-core (no browser download).
 */
export function useBrowser(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await playwright.launch({
      executablePath: await chromium.executablePath(),
      // Lambda's single process is for one page at a time; tests open a context per person.
      args: chromium.args.filter((arg) => arg !== '--single-process'),
      headless: true,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('browser not started');
      return browser;
    },
  };
}

/**
 * Signs in to the dashboard at `dashboardUrl` through GitHub's (the
 * simulator's) authorize page as `login`, in a new browser context; returns
 * the page, on the dashboard's front page.
 */
export async function signInAs(
  browser: Browser,
  dashboardUrl: string,
  login: string,
  width = 1024,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(dashboardUrl);
  await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
  await page.getByRole('button', { name: login, exact: true }).click();
  await page.waitForURL(`${dashboardUrl}/`);
  return page;
}
