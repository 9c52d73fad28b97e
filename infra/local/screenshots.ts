import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import chromium from '@sparticuz/chromium';
import { chromium as playwright } from 'playwright-core';
import { demoDataset } from './demo.ts';
import { startStackWithSimulator, syncsComplete } from './stack-with-simulator.ts';

/**
 * `npm run screenshots`: the documentation's pictures of the dashboard, taken
 * afresh. Starts the demo (simulator and local stack, in a temporary
 * folder), lets it sync and roll up, signs in as the demo organisation's
 * admin — and as an outside collaborator, who sees less — in headless
 * Chromium and saves each page to docs/screenshots/.
 */
// Only the handlers' errors are worth printing here.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const out = resolve('docs', 'screenshots');
await mkdir(out, { recursive: true });
const { sim, stack, install, stop } = await startStackWithSimulator({ dataset: demoDataset });
await install();
const { installationId } = demoDataset;
await syncsComplete(stack, installationId);
await stack.rollUpNow(installationId);
await new Promise((done) => setTimeout(done, 5000));

const browser = await playwright.launch({
  executablePath: await chromium.executablePath(),
  args: chromium.args.filter((arg) => arg !== '--single-process'),
  headless: true,
});
const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
const shot = async (
  name: string,
  clip?: { x: number; y: number; width: number; height: number },
) => {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true, ...(clip && { clip }) });
  console.log(`docs/screenshots/${name}.png`);
};
await page.goto(stack.url);
await shot('sign-in');
await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
await page.getByRole('button', { name: sim.admin.login, exact: true }).click();
await page.waitForURL(`${stack.url}/`);
await shot('installations');
await page.getByRole('link', { name: demoDataset.organisation }).click();
await shot('installation');
// The README's picture: the page's top, its repositories and the week's headlines, not its full length.
await shot('installation-first-screen', { x: 0, y: 0, width: 1100, height: 1000 });
await page.getByRole('link', { name: 'Settings' }).click();
await shot('settings');
await page.goBack();
await page.getByRole('link', { name: /^Pull requests merged in/ }).click();
await shot('week');
await page.goBack();
// A week's production deployments: the newest week with a failed one, which names why it failed.
const { weeks } = (await (
  await fetch(`${stack.url}/api/installations/${installationId}/metrics/weekly?weeks=12`)
).json()) as {
  weeks: {
    week: string;
    delivery: { figures: { changeFailure: { failed: number } | null } } | null;
  }[];
};
const failing = weeks.find((week) => (week.delivery?.figures.changeFailure?.failed ?? 0) > 0);
if (failing) {
  await page.goto(`${stack.url}/installations/${installationId}/weeks/${failing.week}/deployments`);
  await shot('deployments');
  await page.goto(`${stack.url}/installations/${installationId}`);
}
const [firstTeam] = sim.dataset.teams.list();
if (firstTeam) {
  await page.getByRole('link', { name: firstTeam.name, exact: true }).click();
  await shot('team');
  await page.goBack();
}
await page.getByRole('link', { name: `${demoDataset.organisation}/api` }).click();
await shot('repository');
// And as a phone shows the installation page and its settings.
await page.setViewportSize({ width: 375, height: 800 });
await page.getByRole('link', { name: `Back to ${demoDataset.organisation}` }).click();
await shot('installation-phone');
await page.getByRole('link', { name: 'Settings' }).click();
await shot('settings-phone');
// As someone who sees less: an outside collaborator on one public repository, at both widths.
const guest = await (
  await browser.newContext({ viewport: { width: 1100, height: 900 } })
).newPage();
await guest.goto(`${stack.url}/login`);
await guest.getByRole('button', { name: sim.collaborator.user.login, exact: true }).click();
await guest.waitForURL(`${stack.url}/`);
await guest.goto(`${stack.url}/installations/${installationId}`);
await guest.screenshot({ path: join(out, 'installation-collaborator.png'), fullPage: true });
await guest.setViewportSize({ width: 375, height: 800 });
await guest.screenshot({ path: join(out, 'installation-collaborator-phone.png'), fullPage: true });
console.log('docs/screenshots/installation-collaborator.png, installation-collaborator-phone.png');
await browser.close();
await stop();
