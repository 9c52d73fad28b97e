import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { reconcileFunction } from '#functions/reconcile/function.ts';
import { listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { resolveDueHolidays } from '#shared/store/holiday-resolution.ts';
import type { InstallationRecord } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { updateSettings } from '#shared/store/settings.ts';
import type { TableRef } from '#shared/store/table.ts';
import { inZone, type StoredCalendar } from '#shared/store/working-calendars.ts';
import { resolveRegion } from '#shared/working-time/public-holidays.ts';
import { workingMs } from '#shared/working-time/working-ms.ts';
import { dashboardCookie } from '../support/dashboard-sign-in.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';

/**
 * Public holidays set on the dashboard's settings page: the page checks the
 * region against the list date-holidays knows and stores it without dates;
 * the holidays function (its queue polled by the local stack, as Lambda's
 * event source does) resolves them and marks the recent weeks again.
 */
const installationId = 2727;
const github = useStackWithGitHub(
  {
    seed: 2727,
    installationId,
    organisation: 'festive',
    repositories: [{ name: 'app', pullRequests: 5 }],
  },
  { daysBack: 0 },
);
const settingsUrl = () => `${github.harness.stack.url}/installations/${installationId}/settings`;
const stored = async () =>
  (await github.harness.get(keys.installation(installationId))) as InstallationRecord | undefined;

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const text = (html: string) =>
  html.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);

/** The settings form's fields as a browser would post them, untouched. */
function postedForm(page: string): URLSearchParams {
  const start = page.indexOf(
    `<form method="post" action="/installations/${installationId}/settings">`,
  );
  const form = page.slice(start, page.indexOf('</form>', start));
  const fields = new URLSearchParams();
  const attribute = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
  for (const [tag] of form.matchAll(/<input [^>]*>/g)) {
    const name = attribute(tag, 'name');
    if (!name) continue;
    if (attribute(tag, 'type') !== 'checkbox')
      fields.append(name, text(attribute(tag, 'value') ?? ''));
    else if (tag.includes(' checked')) fields.append(name, attribute(tag, 'value') ?? 'on');
  }
  for (const [, name = '', body = ''] of form.matchAll(
    /<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g,
  ))
    fields.append(name, text(body));
  for (const [, name = '', options = ''] of form.matchAll(
    /<select [^>]*name="([^"]+)"[^>]*>(.*?)<\/select>/gs,
  )) {
    const selected =
      /<option value="([^"]*)" selected>/.exec(options) ?? /<option value="([^"]*)"/.exec(options);
    fields.append(name, text(selected?.[1] ?? ''));
  }
  return fields;
}

async function save(cookie: string, change: Record<string, string>): Promise<Response> {
  const page = await (await fetch(settingsUrl(), { headers: { cookie } })).text();
  const form = postedForm(page);
  for (const [name, value] of Object.entries(change)) form.set(name, value);
  return fetch(settingsUrl(), {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
}

describe('public holidays set on the settings page', () => {
  it('refuses a region date-holidays does not know, storing nothing', async () => {
    await github.installAndSync();
    const cookie = await dashboardCookie(github.harness.stack.url, github.sim, github.sim.admin);
    const before = await stored();
    const refused = await save(cookie, { holidays: 'DE-XY', countTime: 'working' });
    expect(refused.status).toBe(400);
    const body = await refused.text();
    expect(body).toContain('Nothing was changed');
    expect(body).toContain('holidays: unknown state XY of DE');
    // What was typed is shown again, for the admin to correct.
    expect(body).toContain('value="DE-XY"');
    const after = await stored();
    expect(after).not.toHaveProperty('workingCalendar');
    expect(after?.settingsVersion).toBe(before?.settingsVersion);
  });

  it("stores DE-BY, whose dates the holidays function resolves: Bavaria's holidays count no working time", async () => {
    const cookie = await dashboardCookie(github.harness.stack.url, github.sim, github.sim.admin);
    const saved = await save(cookie, {
      holidays: 'de-by',
      countTime: 'working',
      workingHours: '09:00-17:00',
      timeZone: 'Europe/Berlin',
    });
    expect(saved.status).toBe(303);
    expect((await stored())?.workingCalendar?.holidays).toEqual({ country: 'DE', state: 'BY' });

    let calendar: StoredCalendar | undefined;
    await until(async () => {
      calendar = (await stored())?.workingCalendar;
      return calendar?.publicHolidays !== undefined;
    }, 30_000);
    const resolved = calendar as StoredCalendar;
    const year = new Date().getUTCFullYear();
    expect(resolved.publicHolidays).toMatchObject({ from: 2008, to: year + 10 });
    const dates = resolved.publicHolidays?.dates ?? [];
    // By hand, from Bavaria's public holidays: Epiphany (6 Jan) and Christmas Day are;
    // Assumption (15 Aug) is a holiday only in Augsburg and Bavaria's mainly Catholic
    // communities (date-holidays' regions DE-BY-A and DE-BY-KATH), not in Bavaria as a whole.
    expect(dates).toContain('2026-01-06');
    expect(dates).toContain('2026-12-25');
    expect(dates).toContain('2008-01-06');
    expect(dates).not.toContain('2026-08-15');
    // 24 December is a bank day in Germany, not a public holiday.
    expect(dates).not.toContain('2026-12-24');

    // Tue 6 Jan 2026, 09:00–17:00 Berlin: a working day's hours, on a holiday — nothing counts.
    const berlin = inZone(resolved, 'Europe/Berlin');
    expect(workingMs('2026-01-06T08:00:00Z', '2026-01-06T16:00:00Z', berlin)).toBe(0);
    // Wed 7 Jan, the same hours: 8 hours.
    expect(workingMs('2026-01-07T08:00:00Z', '2026-01-07T16:00:00Z', berlin)).toBe(8 * 3_600_000);

    const page = await (await fetch(settingsUrl(), { headers: { cookie } })).text();
    expect(page).toContain('value="DE-BY"');
    expect(page).toContain(
      `Counting the public holidays of DE-BY (Bayern, Germany): ${dates.length} dates, 2008–${year + 10}.`,
    );
  }, 60_000);

  it('writes no dates over a newer save: a job resolving DE, overtaken by a save of FR, resolves FR', async () => {
    const table = github.harness.table;
    // Stored without dates, as a settings page stores a region (no job queued: this test is the job).
    await updateSettings(table, installationId, { calendar: { holidays: { country: 'DE' } } });
    // The job's first write of dates waits until a newer save (FR) has landed, as a slow job would.
    let overtaken = false;
    const racing: TableRef = {
      tableName: table.tableName,
      db: {
        send: (async (command: { input: { UpdateExpression?: string } }) => {
          if (!overtaken && command.input.UpdateExpression?.includes('publicHolidays')) {
            overtaken = true;
            await updateSettings(table, installationId, {
              calendar: { holidays: { country: 'FR' } },
            });
          }
          return table.db.send(command as never);
        }) as TableRef['db']['send'],
      },
    };
    const later = new Date(Date.now() + 60_000);
    expect(await resolveDueHolidays(racing, { installationId }, resolveRegion, later)).toBe(
      'resolved',
    );
    expect(overtaken).toBe(true);
    const calendar = (await stored())?.workingCalendar;
    expect(calendar?.holidays).toEqual({ country: 'FR' });
    // 14 July is France's national day; 3 October (German Unity Day) is no French holiday.
    expect(calendar?.publicHolidays?.dates).toContain('2026-07-14');
    expect(calendar?.publicHolidays?.dates).not.toContain('2026-10-03');
    // The recent weeks are marked for the rollup, as a calendar change marks them.
    const marks = await listDirtyWeeks(table, installationId);
    expect(marks.filter((mark) => mark.markedAt === later.toISOString())).toHaveLength(12);
    // Run again (a job delivered twice): nothing is left to resolve.
    expect(await resolveDueHolidays(table, { installationId }, resolveRegion, later)).toBe(
      'nothing due',
    );
  }, 60_000);

  it('sends the holidays job again with the daily reconciliation: a region saved whose job was lost, and dates that run out', async () => {
    const table = github.harness.table;
    const year = new Date().getUTCFullYear();
    // A region stored without dates and no job sent, as when the page crashed before sending it.
    await updateSettings(table, installationId, { calendar: { holidays: { country: 'NL' } } });
    // A team's calendar whose dates stop at this year's end (resolved ten years ago).
    const team = github.sim.dataset.teams.list()[0];
    if (!team) throw new Error('the demo organisation has no team');
    await until(async () => Boolean(await github.harness.get(keys.team(installationId, team.id))));
    await github.harness.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.team(installationId, team.id),
        UpdateExpression: 'SET workingCalendar = :calendar',
        ExpressionAttributeValues: {
          ':calendar': {
            holidays: { country: 'FR' },
            publicHolidays: { from: year - 10, to: year, dates: [`${year}-07-14`] },
          },
        },
      }),
    );
    await github.harness.stack.runScheduleNow(reconcileFunction);
    await until(async () => {
      const organisation = (await stored())?.workingCalendar?.publicHolidays;
      const teamItem = await github.harness.get(keys.team(installationId, team.id));
      return (
        organisation !== undefined &&
        (teamItem?.workingCalendar as StoredCalendar | undefined)?.publicHolidays?.to === year + 10
      );
    }, 30_000);
    // 27 April, King's Day, is a Dutch public holiday (in 2025 it fell on a Sunday and moved to the 26th).
    expect((await stored())?.workingCalendar?.publicHolidays?.dates).toContain('2026-04-27');
  }, 60_000);
});
