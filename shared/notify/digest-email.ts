import { headlines } from '../metrics/compare.ts';
import { hadActivity } from '../metrics/rollup.ts';
import {
  durationUnit,
  escapeHtml,
  formatChange,
  formatValue,
  formatWeekDays,
  type Trend,
} from '../views/format.ts';
import { clockNote } from '../views/on-clock.ts';
import { aiAdoptionSection } from './ai-adoption-section.ts';
import { deliverySection } from './delivery-section.ts';
import type { DigestContent } from './digest-content.ts';
import {
  type Bar,
  type Column,
  type Email,
  htmlBars,
  htmlDocument,
  htmlTable,
  textBars,
  textDocument,
  textTable,
} from './email-parts.ts';

const trendColour: Record<Trend, string> = {
  better: '#047857',
  worse: '#b91c1c',
  neutral: '#374151',
};

const headlineColumns: Column[] = [
  { title: 'Metric' },
  { title: 'This week', align: 'right' },
  { title: 'vs last week', align: 'right' },
  { title: '4-week avg', align: 'right' },
];

const repositoryColumns: Column[] = [
  { title: 'Repository' },
  { title: 'Merged', align: 'right' },
  { title: 'Opened', align: 'right' },
  { title: 'Cycle (median)', align: 'right' },
  { title: 'Pickup (median)', align: 'right' },
  { title: 'No review', align: 'right' },
];

const memberColumns: Column[] = [{ title: 'Member' }, ...repositoryColumns.slice(1)];

/**
 * The weekly digest: headline numbers with change arrows, a table per
 * repository, merged PRs per week and where the cycle time went as bars, and
 * the slowest PRs with links — as HTML and as plain text, same content.
 */
export function renderDigest(content: DigestContent, unsubscribeUrl: string): Email {
  const { view } = content;
  const organisation = view.organisation;
  const days = formatWeekDays(content.window, content.timeZone);
  const who = content.team
    ? `${content.team.name} (${content.accountLogin})`
    : content.accountLogin;
  const title = `Flowmeter weekly digest for ${who}, week ${content.week}`;
  const intro = content.team
    ? `Pull request flow of the team ${content.team.name} for ${days} (${content.timeZone}): the pull requests of its people, its nested teams' included. A person in two teams counts in both, so team figures overlap and do not add up to the organisation's.`
    : `Pull request flow for ${days} (${content.timeZone}).`;
  const clock = content.clock.countTime;
  const unit = durationUnit(clock);
  const clockWords = clockNote(clock, content.clock.words);

  const headlineRows = headlines.map((headline) => {
    const change = view.headlines?.[headline.key];
    const shown = { ...headline, unit: durationUnit(clock, headline.unit) };
    const arrow = change ? formatChange(change, shown) : { text: '—', trend: 'neutral' as const };
    return {
      cells: [
        headline.label,
        formatValue(change?.value ?? null, shown.unit),
        arrow.text,
        formatValue(change?.fourWeekAverage ?? null, shown.unit),
      ],
      trend: arrow.trend,
    };
  });
  const scopeRows = (rows: typeof view.repositories) =>
    rows.map(({ name, metrics }) => [
      name,
      String(metrics.merged),
      String(metrics.opened),
      formatValue(metrics.cycleTime?.median ?? null, unit),
      formatValue(metrics.pickupTime?.median ?? null, unit),
      formatValue(metrics.mergedWithoutReviewShare, '%'),
    ]);
  const repositoryRows = scopeRows(view.repositories);
  const memberRows = scopeRows(view.authors);
  const mergedBars: Bar[] = content.history.map(({ week, merged }) => ({
    label: week,
    value: merged ?? 0,
    shown: merged === null ? 'no data' : String(merged),
  }));
  const phaseBars: Bar[] = [
    { label: 'Coding', hours: organisation?.codingTime?.median ?? null },
    { label: 'Waiting for review', hours: organisation?.pickupTime?.median ?? null },
    { label: 'In review', hours: organisation?.reviewTime?.median ?? null },
  ].map(({ label, hours }) => ({ label, value: hours ?? 0, shown: formatValue(hours, unit) }));
  const slowestText = content.slowest.map(
    (pr, index) =>
      `  ${index + 1}. ${pr.repositoryFullName}#${pr.number} ${pr.title} (${pr.authorLogin}), ${formatValue(pr.cycleHours, unit)}\n     ${pr.url}`,
  );
  const slowestHtml = content.slowest.map((pr) => [
    `<a href="${escapeHtml(pr.url)}" style="color:#4f46e5">${escapeHtml(`${pr.repositoryFullName}#${pr.number}`)}</a> ${escapeHtml(pr.title)}`,
    escapeHtml(pr.authorLogin),
    escapeHtml(formatValue(pr.cycleHours, unit)),
  ]);
  const slowestColumns: Column[] = [
    { title: 'Pull request' },
    { title: 'Author' },
    { title: 'Cycle time', align: 'right' },
  ];
  const quiet = !organisation || !hadActivity(organisation);
  const none = (what: string) => ({
    text: `  No ${what} this week.`,
    html: `<p>No ${what} this week.</p>`,
  });

  const sections = [
    {
      heading: 'Headlines',
      text: textTable(
        headlineColumns,
        headlineRows.map((row) => row.cells),
      ),
      html: htmlTable(
        headlineColumns,
        headlineRows.map(({ cells, trend }) => [
          escapeHtml(cells[0] ?? ''),
          `<strong>${escapeHtml(cells[1] ?? '')}</strong>`,
          `<span style="color:${trendColour[trend]}">${escapeHtml(cells[2] ?? '')}</span>`,
          escapeHtml(cells[3] ?? ''),
        ]),
      ),
    },
    {
      // A team's repositories are those it touched; their figures are the whole repository's.
      heading: content.team
        ? 'Repositories the team worked in (all of their work)'
        : 'By repository',
      ...(repositoryRows.length === 0
        ? none('repository activity')
        : {
            text: textTable(repositoryColumns, repositoryRows),
            html: htmlTable(
              repositoryColumns,
              repositoryRows.map((row) => row.map(escapeHtml)),
            ),
          }),
    },
    ...(content.team?.membersShown
      ? [
          {
            heading: 'By member (their work in every team)',
            ...(memberRows.length === 0
              ? none('member activity')
              : {
                  text: textTable(memberColumns, memberRows),
                  html: htmlTable(
                    memberColumns,
                    memberRows.map((row) => row.map(escapeHtml)),
                  ),
                }),
          },
        ]
      : []),
    {
      heading: 'PRs merged per week',
      text: textBars(mergedBars),
      html: htmlBars(mergedBars),
    },
    {
      heading: 'Where the time went (median hours per phase)',
      text: textBars(phaseBars),
      html: htmlBars(phaseBars, '#0891b2'),
    },
    ...[
      deliverySection(view.delivery, organisation, content.deliveryRules, clock),
      aiAdoptionSection(view.aiAdoption, content.copilot),
    ].filter((section) => section !== null),
    {
      heading: `Slowest PRs merged this week`,
      ...(content.slowest.length === 0
        ? none('merged pull requests')
        : { text: slowestText.join('\n'), html: htmlTable(slowestColumns, slowestHtml) }),
    },
  ];
  const summary = quiet
    ? 'a quiet week'
    : `${organisation.merged} merged, cycle time ${formatValue(organisation.cycleTime?.median ?? null, unit)}`;
  return {
    subject: `Flowmeter weekly digest: ${who}, ${content.week} (${summary})`,
    text: textDocument({
      title,
      intro: `${intro} ${clockWords}`,
      sections,
      unsubscribeUrl,
    }),
    html: htmlDocument({
      title,
      intro: escapeHtml(`${intro} ${clockWords}`),
      sections,
      unsubscribeUrl,
    }),
  };
}
