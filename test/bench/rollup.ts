import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmbeddedAws } from '#infra/local/embedded-aws.ts';
import type { StoredPullRequest } from '#shared/metrics/pull-request.ts';
import { shiftWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { runRollup } from '#shared/rollup/run-rollup.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { putPullRequests } from '#shared/store/pull-requests.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { readTeams } from '#shared/store/teams.ts';
import { readWeeklyMetrics } from '#shared/store/weekly-metrics.ts';
import { resolveHolidays } from '#shared/working-time/public-holidays.ts';
import {
  benchRollupJob,
  countingTable,
  type QueryReads,
  recordOrganisation,
} from './query-reads.ts';
import { type Figure, report } from './report.ts';
import { installSizedTeams } from './sized-teams-reading.ts';

/**
 * Benchmark, part 5: the rollup of one week holding BENCH_WEEK_PRS pull
 * requests (default 10,000) on the embedded DynamoDB, in a table that also
 * holds four, then eight, times as many PRs in other weeks. What it reads
 * must grow with the week's PRs and not with the table. Then a week as
 * large of another installation, whose 1,800 people are in 100 teams of 20
 * (200 in two, every tenth team nested; stored by the teams reading from
 * the simulator), each PR attributed to its author's teams in memory.
 */
const weekPullRequests = Number(process.env.BENCH_WEEK_PRS ?? 10_000);
const installationId = 77;
const week = '2026-W40';

const dataDir = await mkdtemp(join(tmpdir(), 'flowmeter-bench-rollup-'));
const aws = await startEmbeddedAws({ dataDir });
const { table, reads, reset } = countingTable(aws);
await recordOrganisation(table, installationId, { id: 1, login: 'bench' });

interface Person {
  id: number;
  login: string;
}
/** The first installation's authors and reviewers. */
const developers: Person[] = Array.from({ length: 60 }, (_, n) => ({
  id: 100 + n,
  login: `dev-${n}`,
}));

let number = 0;
/** `count` merged PRs of `people` inside `inWeek`, each with two reviews and three commits. */
function pullRequestsIn(inWeek: string, count: number, people: readonly Person[]) {
  const { start } = weekBounds(inWeek, 'UTC');
  const person = (n: number) => people[n % people.length] as Person;
  return Array.from({ length: count }, (_, i): StoredPullRequest => {
    const created = start.getTime() + ((i * 7919) % (5 * 86_400)) * 1000;
    // As GitHub spells its times: whole seconds (DynamoDB bills the characters of each).
    const at = (hours: number) =>
      new Date(created + hours * 3_600_000).toISOString().replace('.000Z', 'Z');
    number++;
    return {
      installationId,
      repositoryId: 1 + (i % 20),
      repositoryFullName: `bench/repo-${1 + (i % 20)}`,
      number,
      title: `Change ${number}`,
      state: 'merged',
      draft: false,
      authorId: person(number).id,
      authorLogin: person(number).login,
      authorType: 'User',
      createdAt: at(0),
      updatedAt: at(30),
      closedAt: at(30),
      mergedAt: at(30),
      labels: ['feature'],
      baseRef: 'main',
      additions: 40 + (i % 500),
      deletions: i % 90,
      changedFiles: 1 + (i % 12),
      commitCount: 3,
      readyAt: at(1),
      firstCommitAt: at(-2),
      commitDates: [at(-2), at(0), at(12)],
      coAuthors: [],
      reviews: Object.fromEntries(
        [0, 1].map((r) => [
          String(number * 10 + r),
          {
            reviewId: number * 10 + r,
            reviewerId: person(number + r + 1).id,
            reviewerLogin: person(number + r + 1).login,
            reviewerType: 'User',
            state: r === 0 ? 'commented' : 'approved',
            submittedAt: at(4 + r * 10),
          },
        ]),
      ),
    };
  });
}

/** Stores `count` PRs of `people` in `inWeek`, the very same items in each of `installations`. */
async function load(
  inWeek: string,
  count: number,
  people = developers,
  installations = [installationId],
): Promise<void> {
  for (let done = 0; done < count; done += 1000) {
    const batch = pullRequestsIn(inWeek, Math.min(1000, count - done), people);
    for (const installation of installations)
      await putPullRequests(
        table,
        batch.map((pr) => ({ ...pr, installationId: installation })),
      );
  }
}

const perPr = (reads: QueryReads) =>
  `${reads.queries} queries, ${(reads.items / weekPullRequests).toFixed(2)} items and ${(reads.capacity / weekPullRequests).toFixed(3)} read units per PR of the week`;

/** Rolls the week up; what it read, and how long it took. */
async function rollUp(label: string, installation = installationId) {
  reset();
  const started = performance.now();
  const weeks = await runRollup(benchRollupJob(label, installation, week), {
    table,
    notify: async () => undefined,
    now: () => new Date(),
    remainingMs: () => 300_000,
  });
  const seconds = (performance.now() - started) / 1000;
  if (weeks.join() !== week) throw new Error(`rolled up ${weeks.join()}, expected ${week}`);
  // A copy: the count goes on with whatever the caller reads next.
  const read = { ...reads() };
  return { reads: read, seconds, measured: `${perPr(read)}, ${seconds.toFixed(1)} s` };
}

/** The week's rollup in a table of `tablePullRequests`: a figure, and the items it read per PR. */
async function weekAmong(tablePullRequests: number) {
  const among = tablePullRequests.toLocaleString('en');
  const { reads: read, measured } = await rollUp(`week among ${among} PRs`);
  return {
    itemsPerPr: read.items / weekPullRequests,
    figure: {
      name: `rollup of a ${weekPullRequests.toLocaleString('en')}-PR week in a table of ${among} PRs`,
      measured,
    },
  };
}

/**
 * The week of an installation whose people are in 100 teams, against the
 * very same pull requests of an installation without teams: both rolled
 * up, the first again over its stored rows.
 */
async function weekOfTeams(): Promise<Figure[]> {
  const [alone, inTeams] = [installationId + 1, installationId + 2];
  const sizes = { count: 100, size: 20 };
  const people = await installSizedTeams(table, {
    installationId: inTeams,
    login: 'bench-teams',
    people: 1800,
    teams: sizes,
  });
  // A first teams reading marks the recent weeks for recomputation; this bench times the one week.
  await clearDirtyWeeks(table, inTeams, await listDirtyWeeks(table, inTeams));
  await recordOrganisation(table, alone, { id: 2, login: 'bench-alone' });
  await load(week, weekPullRequests, people, [alone, inTeams]);
  const without = await rollUp('week of people in no team', alone);
  const first = await rollUp('week of 100 teams', inTeams);
  const rows = await readWeeklyMetrics(table, inTeams, week, week);
  const teamRows = rows.filter((row) => row.scope === 'team').length;
  if (teamRows !== sizes.count) throw new Error(`${teamRows} team rows, not ${sizes.count}`);
  reset();
  await readTeams(table, inTeams);
  const teamsRead = reads();
  const again = await rollUp('week of 100 teams, again', inTeams);
  const perPrOf = (read: QueryReads) => read.capacity / weekPullRequests;
  const week10k = `a ${weekPullRequests.toLocaleString('en')}-PR week of ${people.length.toLocaleString('en')} people`;
  return [
    { name: `rollup of ${week10k} in no team`, measured: without.measured },
    {
      name: `rollup of the same PRs, the people in ${sizes.count} teams of ${sizes.size} (${teamRows} team rows)`,
      measured: first.measured,
      target: 'at most 0.21 read units per PR',
      met: perPrOf(first.reads) <= 0.21,
    },
    {
      name: 'of which the teams and everyone who was in each, read once',
      measured: `${teamsRead.queries} ${teamsRead.queries === 1 ? 'query' : 'queries'} (the teams, every membership), ${teamsRead.items.toLocaleString('en')} items, ${teamsRead.capacity} read units = ${perPrOf(teamsRead).toFixed(4)} per PR`,
    },
    {
      name: `the same week rolled up again, its ${rows.length.toLocaleString('en')} rows read to rewrite only what changed`,
      measured: again.measured,
    },
  ];
}

/**
 * The same week on two installations, one counting working time too (hours
 * and public holidays in Berlin): how much slower every duration counted on
 * both clocks makes the rollup (issue #27's budget: at most 1.2×).
 */
async function weekOnCalendar(): Promise<Figure[]> {
  const [plain, working] = [installationId + 3, installationId + 4];
  await recordOrganisation(table, plain, { id: 3, login: 'bench-calendar-hours' });
  await recordOrganisation(table, working, { id: 4, login: 'bench-working-hours' });
  await updateSettings(
    table,
    working,
    {
      timeZone: 'Europe/Berlin',
      calendar: {
        workingHours: { start: '09:00', end: '17:00' },
        holidays: { country: 'DE', state: 'BY' },
      },
      countTime: 'working',
    },
    new Date(),
    undefined,
    resolveHolidays,
  );
  await updateSettings(table, plain, { timeZone: 'Europe/Berlin' });
  // The calendar marked the recent weeks for recomputation; this bench times the one week.
  for (const installation of [plain, working])
    await clearDirtyWeeks(table, installation, await listDirtyWeeks(table, installation));
  await load(week, weekPullRequests, developers, [plain, working]);
  // Each rolled up twice, the second timed: the first also sets up the process's caches.
  await rollUp('calendar hours (warm-up)', plain);
  await rollUp('working hours (warm-up)', working);
  const calendarOnly = await rollUp('calendar hours', plain);
  const both = await rollUp('working hours too', working);
  const ratio = both.seconds / calendarOnly.seconds;
  return [
    { name: 'rollup of the week again, calendar hours only', measured: calendarOnly.measured },
    {
      name: 'the same on a working calendar too (Berlin 09:00–17:00, Bavarian holidays)',
      measured: both.measured,
    },
    {
      name: 'wall time with working hours against without',
      measured: `${ratio.toFixed(2)}×`,
      target: 'at most 1.2×',
      met: ratio <= 1.2,
    },
  ];
}

await load(week, weekPullRequests);
// Other weeks: before and after, as a real history is.
for (const offset of [-2, -1, 1, 2]) await load(shiftWeek(week, offset), weekPullRequests);
const smaller = await weekAmong(5 * weekPullRequests);
for (const offset of [-4, -3, 3, 4]) await load(shiftWeek(week, offset), weekPullRequests);
const larger = await weekAmong(9 * weekPullRequests);
const teamsFigures = await weekOfTeams();
const calendarFigures = await weekOnCalendar();
await aws.stop();
await rm(dataDir, { recursive: true, force: true });

// The few PRs crossing the week's edges are read too, so "the same" allows them a little.
const growth = larger.itemsPerPr / smaller.itemsPerPr;
report(import.meta.url, 'Weekly rollup of one week on the embedded DynamoDB', [
  smaller.figure,
  larger.figure,
  {
    name: 'items read per PR, 9× against 5× the week in the table',
    measured: `${growth.toFixed(3)}×`,
    target: 'at most 1.02× (reads grow with the week, not the table)',
    met: growth <= 1.02,
  },
  ...teamsFigures,
  ...calendarFigures,
]);
