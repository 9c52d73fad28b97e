import { durationUnit, escapeHtml, formatValue } from '../../views/format.ts';
import type { ScopeRow, WeeklyMetricsView } from '../../views/weekly-metrics-view.ts';
import { barChart } from './charts.ts';
import { page, table, type Viewer } from './layout.ts';

const back = (installation: { installationId: number; accountLogin: string }) =>
  `<p><a href="/installations/${installation.installationId}">Back to ${escapeHtml(installation.accountLogin)}</a></p>`;

/**
 * One repository's or one author's weeks: the last week's figures and the
 * trends, from the same stored rows as the installation's.
 */
export function scopePage(
  view: WeeklyMetricsView,
  scope: 'repositories' | 'authors',
  id: number,
  viewer: Viewer,
): string | null {
  const rowOf = (week: WeeklyMetricsView['weeks'][number]) =>
    week[scope].find((row) => row.id === id) ?? null;
  const rows = view.weeks.map((week) => ({ week: week.week, row: rowOf(week) }));
  const named = rows.find(({ row }) => row)?.row;
  if (!named) return null;
  const latest = rows[0];
  const figures = (row: ScopeRow | null) => [
    String(row?.metrics.merged ?? 0),
    String(row?.metrics.opened ?? 0),
    escapeHtml(formatValue(row?.metrics.cycleTime?.median ?? null, durationUnit(view.clock))),
    escapeHtml(formatValue(row?.metrics.pickupTime?.median ?? null, durationUnit(view.clock))),
    escapeHtml(formatValue(row?.metrics.reviewTime?.median ?? null, durationUnit(view.clock))),
  ];
  const weekly = table(
    [
      { title: 'Week' },
      { title: 'Merged', number: true },
      { title: 'Opened', number: true },
      { title: 'Cycle (median)', number: true },
      { title: 'Pickup (median)', number: true },
      { title: 'Review (median)', number: true },
    ],
    rows.map(({ week, row }) => [escapeHtml(week), ...figures(row)]),
    `${named.name}, week by week, newest first (${view.timeZone})`,
  );
  const oldestFirst = [...rows].reverse();
  const weeks = oldestFirst.map(({ week }) => week);
  const charts = [
    barChart(
      `${named.name}: pull requests merged per week`,
      weeks,
      [
        {
          label: 'merged',
          colour: '#4f46e5',
          values: oldestFirst.map(({ row }) => row?.metrics.merged ?? null),
        },
      ],
      '',
    ),
    barChart(
      `${named.name}: cycle time by phase, median hours`,
      weeks,
      [
        {
          label: 'coding',
          colour: '#0891b2',
          values: oldestFirst.map(({ row }) => row?.metrics.codingTime?.median ?? null),
        },
        {
          label: 'waiting for review',
          colour: '#f59e0b',
          values: oldestFirst.map(({ row }) => row?.metrics.pickupTime?.median ?? null),
        },
        {
          label: 'in review',
          colour: '#7c3aed',
          values: oldestFirst.map(({ row }) => row?.metrics.reviewTime?.median ?? null),
        },
      ],
      view.clock === 'working' ? ' working h' : ' h',
    ),
  ].join('');
  const copilot =
    scope === 'authors' && latest?.row?.copilotActive !== undefined
      ? `<p>Used Copilot in ${escapeHtml(latest.week)}: ${latest.row.copilotActive ? 'yes' : 'no'}.</p>`
      : '';
  return page(named.name, `${back(view)}${copilot}${weekly}${charts}`, viewer);
}
