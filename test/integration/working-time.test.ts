import { describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { finishedWeek, shiftWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { getInstallation } from '#shared/store/installations.ts';
import { readTeams } from '#shared/store/teams.ts';
import { peopleBehind, recomputedMetrics } from '../support/recomputed-metrics.ts';
import { recomputedWorkingMs } from '../support/recomputed-working-time.ts';
import { settingsCli } from '../support/settings-cli.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';
import { weeklyMetricItems } from '../support/weekly-metric-items.ts';

const installationId = 2727;
const github = useStackWithGitHub(
  {
    seed: 2727,
    installationId,
    organisation: 'clocked',
    repositories: [{ name: 'api', pullRequests: 400 }],
  },
  { daysBack: 0, readsNotifications: true },
);
const harness = github.harness;
const cli = (...flags: string[]) => settingsCli(harness.table, installationId, ...flags);

async function rollUpNow(): Promise<void> {
  const [job] = await harness.stack.rollUpNow(installationId);
  await until(async () => {
    const digests = await harness.drain(harness.stack.aws.notifyQueueUrl);
    return digests.some((body) => (body as { week?: string }).week === job?.week);
  });
}

/** The duration figures a recomputation gives, to hold against a row's `working`. */
const durations = (figures: ReturnType<typeof recomputedMetrics>) => ({
  cycleTime: figures.cycleTime,
  codingTime: figures.codingTime,
  pickupTime: figures.pickupTime,
  reviewTime: figures.reviewTime,
  reviewTurnaround: figures.reviewTurnaround,
});

describe('working time', () => {
  it('refuses a bad calendar by name, storing nothing and marking no week', async () => {
    await github.installAndSync();
    await rollUpNow();
    await clearDirtyWeeks(
      harness.table,
      installationId,
      await listDirtyWeeks(harness.table, installationId),
    );
    const before = await getInstallation(harness.table, installationId);
    for (const [flags, problem] of [
      [
        ['--working-days', 'sat,sun,sun', '--working-hours', '17:00-09:00'],
        'working hours end before they start (17:00 to 09:00)',
      ],
      [['--working-days', ''], 'empty working week'],
      [['--holidays', 'XX'], 'holidays: unknown country XX'],
      [['--holidays', 'DE-ZZ'], 'holidays: unknown state ZZ of DE'],
      [['--days-off', '2026-02-30'], 'not a date YYYY-MM-DD: 2026-02-30'],
      [['--count-time', 'lunar'], 'count time as calendar or working, not lunar'],
    ] as const) {
      const refused = await cli(...flags);
      expect([refused.status, refused.err], flags.join(' ')).toEqual([
        2,
        expect.stringContaining(problem),
      ]);
    }
    expect(await getInstallation(harness.table, installationId)).toEqual(before);
    expect(await listDirtyWeeks(harness.table, installationId)).toEqual([]);
  }, 120_000);

  it("counts the organisation's and a team's durations in working hours as a minute-by-minute recomputation does", async () => {
    const set = await cli(
      '--working-hours',
      '09:00-17:00',
      '--holidays',
      'GB-ENG',
      '--days-off',
      '2026-12-24',
      '--count-time',
      'working',
    );
    expect(set.status, set.err).toBe(0);
    expect(set.out).toContain('count time  working hours');
    expect(set.out).toContain('Mon Tue Wed Thu Fri, 09:00–17:00');
    // A calendar change marks the last 12 finished weeks, as a rule change does.
    const last = finishedWeek(new Date(), 'UTC');
    const marked = (await listDirtyWeeks(harness.table, installationId)).map((mark) => mark.week);
    expect(marked).toEqual(expect.arrayContaining([last, shiftWeek(last, -11)]));

    // A team in Jerusalem works Sunday to Thursday, keeping the organisation's hours and holidays.
    const { teams } = await readTeams(harness.table, installationId);
    const team = teams.find((known) => known.deletedAt === null);
    if (!team) throw new Error('the simulator gave no team');
    // A team's calendar change marks them too.
    await clearDirtyWeeks(
      harness.table,
      installationId,
      await listDirtyWeeks(harness.table, installationId),
    );
    const teamSet = await cli(
      '--team',
      team.slug,
      '--time-zone',
      'Asia/Jerusalem',
      '--working-days',
      'sun,mon,tue,wed,thu',
    );
    expect(teamSet.out).toContain('Mon Tue Wed Thu Sun, 09:00–17:00');
    expect((await listDirtyWeeks(harness.table, installationId)).map((mark) => mark.week)).toEqual(
      expect.arrayContaining([last, shiftWeek(last, -11)]),
    );
    await rollUpNow();

    const organisation = (await getInstallation(harness.table, installationId))?.workingCalendar;
    const stored = (await readTeams(harness.table, installationId)).teams.find(
      (t) => t.teamId === team.teamId,
    );
    if (!organisation?.publicHolidays || !stored?.settings.workingCalendar)
      throw new Error('no calendar stored');
    // Holidays as resolved when saved (the resolving has its own tests); England's include Christmas and Boxing Day.
    expect(organisation.publicHolidays.dates).toEqual(
      expect.arrayContaining(['2026-12-25', '2026-12-28']),
    );

    const exported = exportDataset(github.sim.dataset);
    const everyPr = exported.repositories.flatMap((repo) => repo.pullRequests);
    const items = await weeklyMetricItems(harness, installationId);
    const utc = weekBounds(last, 'UTC');
    const organisationRow = items.find((item) => item.week === last && item.row === 'organisation');
    const inUtc = { ...organisation, timeZone: 'UTC' };
    const expected = recomputedMetrics(everyPr, utc.start, utc.end, undefined, (from, to) =>
      recomputedWorkingMs(from, to, inUtc),
    );
    expect(expected.cycleTime?.count).toBeGreaterThan(5);
    expect(organisationRow?.metrics.working).toEqual(durations(expected));
    // Working hours are fewer than calendar hours.
    expect(organisationRow?.metrics.working?.cycleTime?.median).toBeLessThan(
      organisationRow?.metrics.cycleTime?.median ?? 0,
    );

    // The team: its people's PRs (a child team's too), its reviewers' reviews, on its calendar in its week.
    const parentOf = new Map(exported.teams.map((known) => [known.slug, known.parent]));
    const members = new Set<number>();
    for (const membership of exported.teamMemberships.filter((m) => m.leftAt === null))
      for (let slug: string | null | undefined = membership.team; slug; slug = parentOf.get(slug))
        if (slug === team.slug) members.add(membership.user.id);
    const jerusalem = weekBounds(finishedWeek(new Date(), 'Asia/Jerusalem'), 'Asia/Jerusalem');
    const inJerusalem = { ...stored.settings.workingCalendar, timeZone: 'Asia/Jerusalem' };
    const teamExpected = recomputedMetrics(
      everyPr.filter((pr) => peopleBehind(pr).some((id) => members.has(id))),
      jerusalem.start,
      jerusalem.end,
      { of: everyPr, by: (reviewerId) => members.has(reviewerId) },
      (from, to) => recomputedWorkingMs(from, to, inJerusalem),
    );
    const teamRow = items.find(
      (item) =>
        item.week === finishedWeek(new Date(), 'Asia/Jerusalem') &&
        item.row === `team#${team.teamId}`,
    );
    expect(teamRow?.timeZone).toBe('Asia/Jerusalem');
    expect(teamRow?.metrics.working).toEqual(durations(teamExpected));
  }, 180_000);
});
