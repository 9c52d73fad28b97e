import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';
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
