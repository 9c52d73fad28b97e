import { headlines } from '../../metrics/compare.ts';
import type { DeliveryRules } from '../../store/installations.ts';
import type { TeamsAccess } from '../../store/teams.ts';
import { agreementRows, agreementsNote } from '../../views/agreement-rows.ts';
import { agreementInWords } from '../../views/agreement-words.ts';
import { deliveryRows, whatCounts } from '../../views/delivery-rows.ts';
import {
  durationUnit,
  escapeHtml,
  formatChange,
  formatDayAndTime,
  formatValue,
} from '../../views/format.ts';
import { describeHistory, historyProgress } from '../../views/history-progress.ts';
import { clockNote } from '../../views/on-clock.ts';
import type { RepositoryProgress } from '../../views/sync-progress-view.ts';
import { copilotRefusal, type WeeklyMetricsView } from '../../views/weekly-metrics-view.ts';
import { barChart, type TargetLine } from './charts.ts';
import { page, table, type Viewer, withheldNotice } from './layout.ts';
import { type WeekListKind, weekListPath } from './week-list-pages.ts';

/** A chart's value suffix: its durations' clock, named. */
const hoursSuffix = (view: Pick<WeeklyMetricsView, 'clock'>) =>
  view.clock === 'working' ? ' working h' : ' h';

/** Weeks the trend charts cover. */
export const trendWeeks = 12;

const clock = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(
    new Date(iso),
  );

/** What a repository's sync is doing, in words: the page and its progress polling say the same. */
export function repositoryState(repo: RepositoryProgress, timeZone: string): string {
  if (!repo.active) return 'removed from the App';
  switch (repo.status) {
    case 'complete': {
      const synced = repo.finishedAt
        ? `synced ${formatDayAndTime(repo.finishedAt, timeZone)}`
        : 'synced';
      return repo.completeness ? `${synced}: ${repo.completeness.summary}` : synced;
    }
    case 'waiting':
      return repo.waitingUntil
        ? `waiting for GitHub's rate limit until ${clock(repo.waitingUntil, timeZone)}`
        : "waiting for GitHub's rate limit";
    case 'failed':
      // Its error is the owners' to read (`withoutSyncDetails`).
      return repo.lastError ? `failed: ${repo.lastError}` : 'failed';
    case 'syncing': {
      const doing = repo.phase === 'recent' ? 'reading its recent weeks' : 'syncing';
      return repo.total
        ? `${doing}: ${repo.completed} of ${repo.total} pull requests (${repo.percent}%)`
        : `${doing}: ${repo.completed} pull requests so far`;
    }
    default:
      // A first backfill's deep phase waits for the others' recent weeks, then for its turn.
      return repo.phase === 'deep' ? 'recent weeks stored; the rest queued' : 'queued';
  }
}

export const stillSyncing = (repositories: readonly RepositoryProgress[]) =>
  repositories.some(
    (repo) => repo.active && repo.status !== 'complete' && repo.status !== 'failed',
  );

function syncSection(
  installationId: number,
  repositories: readonly RepositoryProgress[],
  timeZone: string,
) {
  const items = repositories
    .map(
      (repo) =>
        `<div class="repo" data-repository="${repo.id}"><strong>${escapeHtml(repo.fullName)}</strong><progress max="100" value="${repo.percent}" aria-label="${escapeHtml(`${repo.fullName} sync progress`)}">${repo.percent}%</progress><span class="muted" data-state>${escapeHtml(repositoryState(repo, timeZone))}</span></div>`,
    )
    .join('');
  // How far back the history of the repositories shown reaches (theirs only: who sees what).
  const history = `<p data-history>History ${escapeHtml(describeHistory(historyProgress(repositories), timeZone))}</p>`;
  return `<h2>Repositories</h2>${history}<div data-progress-url="/installations/${installationId}/progress.json" data-syncing="${stillSyncing(repositories)}">${items || '<p>No repositories yet.</p>'}</div>`;
}

/** Where a section's figures come from: links to the week's lists of them (`week-list-pages.ts`). */
function computedFrom(
  view: WeeklyMetricsView,
  lists: readonly { kind: WeekListKind; words: string }[],
  team: number | undefined,
): string {
  const week = view.weeks[0]?.week;
  if (!week) return '';
  const links = lists.map(
    ({ kind, words }) =>
      `<a href="${weekListPath(view.installationId, week, kind, team)}">${escapeHtml(`${words} ${week}`)}</a>`,
  );
  return `<p class="muted">Computed from: ${links.join(' · ')}</p>`;
}

function headlineSection(view: WeeklyMetricsView, from: string) {
  const week = view.weeks[0];
  if (!week?.organisation)
    return `<h2>Week ${escapeHtml(week?.week ?? '')}</h2><p>${week?.withheld ? "This week's figures cover repositories GitHub does not show you." : 'No pull request activity this week.'}</p>`;
  const rows = headlines.map((headline) => {
    const change = week.headlines?.[headline.key];
    const shown = { ...headline, unit: durationUnit(view.clock, headline.unit) };
    const arrow = change ? formatChange(change, shown) : { text: '—', trend: 'neutral' as const };
    return [
      escapeHtml(headline.label),
      `<strong>${escapeHtml(formatValue(change?.value ?? null, shown.unit))}</strong>`,
      `<span class="${arrow.trend}">${escapeHtml(arrow.text)}</span>`,
      escapeHtml(formatValue(change?.fourWeekAverage ?? null, shown.unit)),
    ];
  });
  return `<h2>Week ${escapeHtml(week.week)}</h2>${table(
    [
      { title: 'Metric' },
      { title: 'This week', number: true },
      { title: 'vs last week', number: true },
      { title: '4-week average', number: true },
    ],
    rows,
    `Headlines of ${week.week} (${view.timeZone}) against the week before and the four weeks before`,
  )}${from}`;
}

function trendSection(view: WeeklyMetricsView) {
  const weeks = [...view.weeks].reverse();
  // Every week held back from this reader: empty charts would say nothing the notice does not.
  if (weeks.every((week) => !week.organisation) && weeks.some((week) => week.withheld)) return '';
  const names = weeks.map((week) => week.week);
  const of = (
    pick: (
      organisation: NonNullable<(typeof weeks)[number]['organisation']>,
    ) => number | null | undefined,
  ) => weeks.map((week) => (week.organisation ? (pick(week.organisation) ?? null) : null));
  return `<h2>The last ${weeks.length} weeks</h2>${[
    barChart(
      'Pull requests merged per week',
      names,
      [{ label: 'merged', colour: '#4f46e5', values: of((t) => t.merged) }],
      '',
    ),
    barChart(
      `Cycle time by phase, median ${view.clock} hours`,
      names,
      [
        { label: 'coding', colour: '#0891b2', values: of((t) => t.codingTime?.median) },
        { label: 'waiting for review', colour: '#f59e0b', values: of((t) => t.pickupTime?.median) },
        { label: 'in review', colour: '#7c3aed', values: of((t) => t.reviewTime?.median) },
      ],
      hoursSuffix(view),
      cycleTarget(view),
    ),
    barChart(
      `Cycle time, 90th percentile ${view.clock} hours`,
      names,
      [{ label: 'p90', colour: '#be123c', values: of((t) => t.cycleTime?.p90) }],
      hoursSuffix(view),
      cycleTarget(view),
    ),
    barChart(
      'Review load: reviews per merged pull request',
      names,
      [{ label: 'reviews', colour: '#047857', values: of((t) => t.reviewsPerMergedPr) }],
      '',
    ),
    ...(weeks.some((week) => week.delivery)
      ? [
          barChart(
            'Production deployments per week',
            names,
            [
              {
                label: 'deployments',
                colour: '#4f46e5',
                values: weeks.map((week) => week.delivery?.figures.deployments ?? null),
              },
            ],
            '',
          ),
          barChart(
            'Lead time for changes, median hours',
            names,
            [
              {
                label: 'lead time',
                colour: '#0891b2',
                values: weeks.map((week) => week.delivery?.figures.leadTime?.median ?? null),
              },
            ],
            hoursSuffix(view),
          ),
        ]
      : []),
  ].join('')}`;
}

/**
 * The cycle-time agreement of the newest week as a line on the cycle-time
 * charts, its days in hours; none on working hours, which a target in
 * calendar days does not convert to.
 */
function cycleTarget(view: WeeklyMetricsView): TargetLine | undefined {
  const agreement = view.weeks[0]?.agreements.find((shown) => shown.name === 'cycleTimeWithinDays');
  if (!agreement || typeof agreement.target !== 'number' || view.clock !== 'calendar')
    return undefined;
  return {
    value: agreement.target * 24,
    label: `target, ${agreementInWords(agreement.name, { cycleTimeWithinDays: agreement.target })}`,
  };
}

/** The week's working agreements, each with its share met; nothing when none is set. */
function agreementsSection(view: WeeklyMetricsView) {
  const week = view.weeks[0];
  if (!week || week.agreements.length === 0) return '';
  const rows = agreementRows(week.agreements).map((row) => [
    escapeHtml(row.label),
    `<strong>${escapeHtml(row.value)}</strong>`,
    `<span class="${row.change.trend}">${escapeHtml(row.change.text)}</span>`,
    escapeHtml(row.fourWeekAverage),
  ]);
  return `<h2>Working agreements</h2>${table(
    [
      { title: 'Agreement' },
      { title: 'Met this week', number: true },
      { title: 'vs last week', number: true },
      { title: '4-week average', number: true },
    ],
    rows,
    `Working agreements met in ${week.week}, against the week before and the four weeks before`,
  )}<p class="muted">${escapeHtml(agreementsNote)}</p>`;
}

function deliverySection(view: WeeklyMetricsView, rules: DeliveryRules, from: string) {
  const delivery = view.weeks[0]?.delivery;
  if (!delivery) return '';
  const rows = deliveryRows(delivery, view.clock).map((row) => [
    escapeHtml(row.label),
    `<strong>${escapeHtml(row.value)}</strong>`,
    `<span class="${row.change.trend}">${escapeHtml(row.change.text)}</span>`,
    escapeHtml(row.fourWeekAverage),
    escapeHtml(row.level),
  ]);
  const { source } = delivery.levels;
  return `<h2>Delivery</h2>${table(
    [
      { title: 'Delivery (DORA)' },
      { title: 'This week', number: true },
      { title: 'vs last week', number: true },
      { title: '4-week average', number: true },
      { title: 'Level' },
    ],
    rows,
    `Production deployments, lead time, change failure rate and time to restore in ${view.weeks[0]?.week}`,
  )}<p class="muted">${escapeHtml(whatCounts(rules))} Levels from <a href="${escapeHtml(source.url)}">${escapeHtml(source.name)}</a>.</p>${from}`;
}

function aiSection(view: WeeklyMetricsView, from: string) {
  const adoption = view.weeks[0]?.aiAdoption;
  if (!adoption) return '';
  const merged = adoption.aiAssisted.merged + adoption.notAiAssisted.merged;
  const refusal = copilotRefusal(view.copilot);
  const copilot = adoption.copilot
    ? `<p>Copilot: ${adoption.copilot.activeUsers ?? '—'} active users, ${escapeHtml(formatValue(adoption.copilot.acceptanceRate, '%'))} of code suggestions accepted.</p>`
    : refusal
      ? `<p class="notice">${escapeHtml(refusal)}</p>`
      : '';
  return `<h2>AI adoption</h2><p>${adoption.aiAssisted.merged} of ${merged} merged pull requests were AI-assisted (median cycle ${escapeHtml(formatValue(adoption.aiAssisted.cycleTime?.median ?? null, 'h'))} against ${escapeHtml(formatValue(adoption.notAiAssisted.cycleTime?.median ?? null, 'h'))}).</p>${from}${copilot}`;
}

/** The week's repositories, and its authors where the installation shows them, each linked to its own page. */
function scopesSection(view: WeeklyMetricsView, showAuthors: boolean) {
  const week = view.weeks[0];
  if (!week) return '';
  const columns = [
    { title: 'Name' },
    { title: 'Merged', number: true },
    { title: 'Opened', number: true },
    { title: 'Cycle (median)', number: true },
  ];
  const rows = (scope: 'repositories' | 'authors') =>
    week[scope].map((row) => [
      `<a href="/installations/${view.installationId}/${scope}/${row.id}">${escapeHtml(row.name)}</a>`,
      String(row.metrics.merged),
      String(row.metrics.opened),
      escapeHtml(formatValue(row.metrics.cycleTime?.median ?? null, durationUnit(view.clock))),
    ]);
  const repositories = `<h2>By repository</h2>${table(columns, rows('repositories'), `Repositories with activity in ${week.week}`)}`;
  const authors = showAuthors
    ? `<h2>By author</h2>${table(columns, rows('authors'), `People with activity in ${week.week}`)}`
    : '';
  return repositories + authors;
}

/** Said wherever team figures stand: they overlap, and do not add up to the organisation's. */
export const teamsOverlap =
  "A pull request counts for each team its author was in when it merged (an AI agent's, for those of the person it was assigned to), a review for its reviewer's teams, and each for those teams' parents too: a person in two teams counts in both, so team figures overlap and do not add up to the organisation's.";

/** Why an installation shows no teams, or null when GitHub lets Flowmeter read them. */
function noTeams(access: TeamsAccess | undefined): string | null {
  if (access === 'granted') return null;
  if (access === 'user-account') return 'A user account has no GitHub teams.';
  if (access === 'not-granted')
    return "No teams: GitHub lets the App read an organisation's teams only with the Members (read) permission, which the organisation's owners have not approved yet.";
  return 'The teams are being read from GitHub.';
}

/** The GitHub teams the person sees, with the week's figures of each that had work. */
function teamsSection(
  view: WeeklyMetricsView,
  teams: readonly ShownTeam[],
  access: TeamsAccess | undefined,
) {
  const week = view.weeks[0];
  const why = noTeams(access);
  if (why) return `<h2>Teams</h2><p class="muted">${escapeHtml(why)}</p>`;
  if (!week || teams.length === 0) return '';
  const rows = teams.map((team) => {
    const row = week.teams.find((candidate) => candidate.id === team.teamId);
    return [
      `<a href="/installations/${view.installationId}/teams/${team.teamId}">${escapeHtml(team.name)}</a>${team.privacy === 'secret' ? ' <span class="muted">(secret)</span>' : ''}`,
      String(row?.metrics.merged ?? 0),
      String(row?.metrics.opened ?? 0),
      escapeHtml(formatValue(row?.metrics.cycleTime?.median ?? null, durationUnit(view.clock))),
    ];
  });
  return `<h2>Teams</h2>${table(
    [
      { title: 'Team' },
      { title: 'Merged', number: true },
      { title: 'Opened', number: true },
      { title: 'Cycle (median)', number: true },
    ],
    rows,
    `GitHub teams in ${week.week}`,
  )}<p class="muted">${escapeHtml(teamsOverlap)}</p>`;
}

/** A GitHub team as the installation page lists it. */
export interface ShownTeam {
  teamId: number;
  name: string;
  privacy: 'visible' | 'secret';
}

/**
 * A week's figures as the installation page shows them — headlines, the
 * clock they are on, working agreements, delivery, `between` (its teams), repositories and
 * authors, AI adoption, the trends — and a team's page shows them of the
 * team's view (weekly-metrics-view.ts `TeamFocus`).
 */
export function weekFigures(
  view: WeeklyMetricsView,
  options: {
    showAuthors: boolean;
    delivery: DeliveryRules;
    clockWords: string;
    /** The team whose figures these are: each links to the team's share of its week's lists. */
    team?: number;
  },
  between = '',
): string {
  const from = (lists: readonly { kind: WeekListKind; words: string }[]) =>
    computedFrom(view, lists, options.team);
  return (
    headlineSection(view, from([{ kind: 'pull-requests', words: 'merged pull requests of' }])) +
    `<p class="muted">${escapeHtml(clockNote(view.clock, options.clockWords))}</p>` +
    agreementsSection(view) +
    deliverySection(
      view,
      options.delivery,
      from([
        { kind: 'deployments', words: 'production deployments of' },
        { kind: 'incidents', words: 'incidents of' },
      ]),
    ) +
    between +
    scopesSection(view, options.showAuthors) +
    aiSection(view, from([{ kind: 'ai-assisted', words: 'AI-assisted pull requests of' }])) +
    trendSection(view)
  );
}

/** One installation: its repositories' syncs (moving while they run), the week's headlines and the trends. */
export function installationPage(
  view: WeeklyMetricsView,
  repositories: readonly RepositoryProgress[],
  viewer: Viewer,
  options: {
    settings: boolean;
    showAuthors: boolean;
    delivery: DeliveryRules;
    teams: readonly ShownTeam[];
    teamsAccess: TeamsAccess | undefined;
    /** The clock durations are shown on, named (working-calendars.ts `shownClock`). */
    clockWords: string;
    /** The "Needs attention" section (`needs-attention.ts`). */
    attention?: string;
  },
): string {
  const week = view.weeks[0]?.week;
  const base = `/installations/${view.installationId}`;
  const links = [
    ...(week ? [`<a href="${base}/weeks/${week}">Pull requests merged in ${week}</a>`] : []),
    `<a href="${base}/pull-requests.csv">Pull requests as CSV</a>`,
    ...(options.settings ? [`<a href="${base}/settings">Settings</a>`] : []),
  ];
  const withheld = view.weeks.some((shown) => shown.withheld);
  return page(
    view.accountLogin,
    `<p>${links.join(' · ')}</p>` +
      (withheld ? withheldNotice(view.accountLogin) : '') +
      (options.attention ?? '') +
      syncSection(view.installationId, repositories, view.timeZone) +
      weekFigures(view, options, teamsSection(view, options.teams, options.teamsAccess)),
    viewer,
    ['progress.js'],
  );
}
