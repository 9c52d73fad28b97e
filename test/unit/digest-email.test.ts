import { describe, expect, it } from 'vitest';
import { compareWithHistory } from '#shared/metrics/compare.ts';
import type { StoredPullRequest } from '#shared/metrics/pull-request.ts';
import { rollupWeek } from '#shared/metrics/rollup.ts';
import { weekBounds } from '#shared/metrics/time-zone.ts';
import { type DigestContent, slowestPullRequests } from '#shared/notify/digest-content.ts';
import { renderDigest } from '#shared/notify/digest-email.ts';
import { deliveryRules } from '#shared/store/installations.ts';
import { formatWeekDays } from '#shared/views/format.ts';

// 2026-W46 in Berlin: Monday 9 to Sunday 15 November 2026 (UTC+1).
const timeZone = 'Europe/Berlin';
const week = weekBounds('2026-W46', timeZone);
const lastWeek = weekBounds('2026-W45', timeZone);
/** Weeks without Copilot usage reports (the AI adoption section has its own tests). */
const noCopilot = { organisation: [], users: [], noDataDays: 0 };

function pr(
  facts: Partial<StoredPullRequest> & { number: number; createdAt: string },
): StoredPullRequest {
  return {
    installationId: 7,
    repositoryId: 1,
    repositoryFullName: 'acme/api',
    title: `Change ${facts.number}`,
    state: facts.mergedAt ? 'merged' : 'open',
    draft: false,
    authorId: 11,
    authorLogin: 'alice',
    authorType: 'User',
    updatedAt: facts.createdAt,
    closedAt: facts.mergedAt ?? null,
    mergedAt: null,
    labels: [],
    baseRef: 'main',
    additions: 100,
    deletions: 20,
    readyAt: facts.createdAt,
    firstCommitAt: facts.createdAt,
    commitDates: [],
    coAuthors: [],
    reviews: {},
    ...facts,
  };
}

const review = (at: string) => ({
  1: {
    reviewId: 1,
    reviewerId: 12,
    reviewerLogin: 'bob',
    reviewerType: 'User',
    state: 'approved',
    submittedAt: at,
  },
});

// This week (times UTC): three merges and one PR opened and still open.
const thisWeek = [
  // acme/api#1: 10 h cycle, reviewed after 2 h, merged 8 h later.
  pr({
    number: 1,
    createdAt: '2026-11-09T08:00:00Z',
    mergedAt: '2026-11-09T18:00:00Z',
    reviews: review('2026-11-09T10:00:00Z'),
  }),
  // acme/api#2 <Fix "quotes" & escapes>: 50 h, merged without review, 600 lines.
  pr({
    number: 2,
    title: 'Fix "quotes" & <escapes>',
    createdAt: '2026-11-10T08:00:00Z',
    mergedAt: '2026-11-12T10:00:00Z',
    additions: 500,
    deletions: 100,
  }),
  // acme/web#3 by carol: 20 h, review after 4 h.
  pr({
    number: 3,
    repositoryId: 2,
    repositoryFullName: 'acme/web',
    authorId: 13,
    authorLogin: 'carol',
    createdAt: '2026-11-11T08:00:00Z',
    mergedAt: '2026-11-12T04:00:00Z',
    reviews: review('2026-11-11T12:00:00Z'),
  }),
  pr({
    number: 4,
    repositoryId: 2,
    repositoryFullName: 'acme/web',
    createdAt: '2026-11-13T08:00:00Z',
  }),
];
// Last week: one PR merged after 30 h with a review.
const previousWeek = [
  pr({
    number: 5,
    createdAt: '2026-11-03T08:00:00Z',
    mergedAt: '2026-11-04T14:00:00Z',
    reviews: review('2026-11-03T09:00:00Z'),
  }),
];

function content(): DigestContent {
  const rows = rollupWeek('acme', thisWeek, week, noCopilot);
  const organisation = rows[0]?.metrics ?? null;
  const previous = rollupWeek('acme', previousWeek, lastWeek, noCopilot)[0]?.metrics ?? null;
  return {
    installationId: 7,
    accountLogin: 'acme',
    week: '2026-W46',
    timeZone,
    window: week,
    copilot: null,
    deliveryRules: deliveryRules({ deploymentSource: 'releases' }),
    view: {
      week: '2026-W46',
      organisation,
      headlines: organisation
        ? compareWithHistory(organisation, [previous, null, null, null])
        : null,
      aiAdoption: rows[0]?.ai ?? null,
      delivery: null,
      repositories: rows
        .filter((r) => r.scope === 'repository')
        .map(({ row, name, metrics }) => ({ id: Number(row.split('#')[1]), name, metrics })),
      teams: [],
      authors: [],
      withheld: false,
    },
    history: [
      { week: '2026-W44', merged: null },
      { week: '2026-W45', merged: 1 },
      { week: '2026-W46', merged: 3 },
    ],
    slowest: slowestPullRequests(thisWeek, week, 'https://github.com'),
    clock: { countTime: 'calendar', words: 'calendar hours' },
  };
}

const unsubscribeUrl = 'https://api.example/unsubscribe/7/token-123456789012345';

describe('weekly digest email', () => {
  // Every figure below follows from the PRs above: e.g. cycle times 10, 50 and
  // 20 h (median 20 h) against last week's 30 h; pickups 2 and 4 h (median 3).
  it('says the week in numbers, tables and bars, as plain text', () => {
    const email = renderDigest(content(), unsubscribeUrl);
    expect(email.subject).toBe(
      'Flowmeter weekly digest: acme, 2026-W46 (3 merged, cycle time 20.0 h)',
    );
    expect(email.text).toBe(`Flowmeter weekly digest for acme, week 2026-W46

Pull request flow for 9 – 15 Nov 2026 (Europe/Berlin). Durations in calendar hours.

Headlines
  Metric                  This week  vs last week  4-week avg
  PRs merged                      3          ▲ +2           1
  PRs opened                      4          ▲ +3           1
  Cycle time (median)        20.0 h     ▼ −10.0 h      30.0 h
  Pickup time (median)        3.0 h      ▲ +2.0 h       1.0 h
  Review time (median)       12.0 h     ▼ −17.0 h      29.0 h
  Merged without review         33%     ▲ +33 pts          0%
  PR size (median lines)        120           = 0         120
  AI-assisted                    0%       = 0 pts          0%

By repository
  Repository  Merged  Opened  Cycle (median)  Pickup (median)  No review
  acme/api         2       2          30.0 h            2.0 h        50%
  acme/web         1       2          20.0 h            4.0 h         0%

PRs merged per week
  2026-W44                                  no data
  2026-W45  ██████████                      1
  2026-W46  ██████████████████████████████  3

Where the time went (median hours per phase)
  Coding                                              0.0 h
  Waiting for review  ████████                        3.0 h
  In review           ██████████████████████████████  12.0 h

Slowest PRs merged this week
  1. acme/api#2 Fix "quotes" & <escapes> (alice), 50.0 h
     https://github.com/acme/api/pull/2
  2. acme/web#3 Change 3 (carol), 20.0 h
     https://github.com/acme/web/pull/3
  3. acme/api#1 Change 1 (alice), 10.0 h
     https://github.com/acme/api/pull/1

--
Sent by Flowmeter. Unsubscribe: ${unsubscribeUrl}
`);
  });

  it('carries the same numbers and links in HTML, escaped, with arrows coloured by what is better', () => {
    const { html } = renderDigest(content(), unsubscribeUrl);
    for (const figure of [
      '20.0 h',
      '30.0 h',
      '3.0 h',
      '12.0 h',
      '33%',
      '50.0 h',
      '9 – 15 Nov 2026',
    ])
      expect(html).toContain(figure);
    for (const number of [1, 2, 3])
      expect(html).toContain(
        `href="https://github.com/acme/${number === 3 ? 'web' : 'api'}/pull/${number}"`,
      );
    expect(html).toContain(`href="${unsubscribeUrl}"`);
    expect(html).toContain('Fix &quot;quotes&quot; &amp; &lt;escapes&gt;');
    expect(html).not.toContain('<escapes>');
    // Shorter cycle time is good news (green), a higher unreviewed share bad (red).
    expect(html).toContain('<span style="color:#047857">▼ −10.0 h</span>');
    expect(html).toContain('<span style="color:#b91c1c">▲ +33 pts</span>');
    // Bars are table cells sized to the value: 3 merged is the full 240 px, 1 a third.
    expect(html).toContain('width="240"');
    expect(html).toContain('width="80"');
    expect(html).not.toMatch(/<img|<script|class=/);
  });

  it('calls a week without activity quiet and lists nothing as slowest', () => {
    const quiet = content();
    const empty = rollupWeek('acme', [], week, noCopilot)[0]?.metrics ?? null;
    quiet.view = { ...quiet.view, organisation: empty, repositories: [], headlines: null };
    quiet.slowest = [];
    const email = renderDigest(quiet, unsubscribeUrl);
    expect(email.subject).toBe('Flowmeter weekly digest: acme, 2026-W46 (a quiet week)');
    expect(email.text).toContain('By repository\n  No repository activity this week.');
    expect(email.text).toContain(
      'Slowest PRs merged this week\n  No merged pull requests this week.',
    );
  });

  it("names the team in a team's digest, says its figures overlap, and lists its members only when per-person figures are on", () => {
    const alice = rollupWeek('acme', thisWeek, week, noCopilot).find((r) => r.row === 'author#11');
    const team = content();
    team.team = { name: 'Platform', membersShown: false };
    team.view.authors = alice ? [{ id: 11, name: alice.name, metrics: alice.metrics }] : [];
    const hidden = renderDigest(team, unsubscribeUrl);
    expect(hidden.subject).toBe(
      'Flowmeter weekly digest: Platform (acme), 2026-W46 (3 merged, cycle time 20.0 h)',
    );
    expect(hidden.text).toContain('team figures overlap and do not add up');
    expect(hidden.text).toContain('Repositories the team worked in (all of their work)');
    expect(hidden.text).not.toContain('By member');

    team.team = { name: 'Platform', membersShown: true };
    const shown = renderDigest(team, unsubscribeUrl);
    // alice merged #1 (10 h) and #2 (50 h, no review) and opened those and #4: 2 merged, 3
    // opened, median cycle 30 h, pickup 2 h (#1 only), half merged without review.
    expect(shown.text).toContain('By member (their work in every team)');
    expect(shown.text).toMatch(/\n {2}alice {2,}2 {2,}3 {2,}30\.0 h {2,}2\.0 h {2,}50%\n/);
  });

  it('names the clock: calendar hours as "h", and working hours as "working h" beside every duration', () => {
    expect(renderDigest(content(), unsubscribeUrl).text).toContain('Durations in calendar hours.');
    const working = content();
    // The view as on-clock.ts gives it for a team counting working time: durations are the working ones.
    working.clock = {
      countTime: 'working',
      words: 'working hours (Mon Tue Wed Thu Fri, whole days; Europe/Berlin)',
    };
    working.view = { ...working.view, clock: 'working' } as never;
    const email = renderDigest(working, unsubscribeUrl);
    expect(email.text).toContain(
      'Durations in working hours (Mon Tue Wed Thu Fri, whole days; Europe/Berlin), shown as "working h"',
    );
    // The cycle time headline: 20 (this week's median) against last week's 30.
    expect(email.text).toMatch(/Cycle time \(median\) +20\.0 working h +▼ −10\.0 working h/);
    expect(email.subject).toBe(
      'Flowmeter weekly digest: acme, 2026-W46 (3 merged, cycle time 20.0 working h)',
    );
    expect(email.text).not.toMatch(/\d h\b(?! \()/);
  });

  it('adds an "AI adoption" section when there is something to show, and says why Copilot is missing', () => {
    const hours = (median: number) => ({ count: 1, median, p75: median, p90: median });
    const group = (merged: number, cycle: number, lines: number) => ({
      merged,
      cycleTime: hours(cycle),
      codingTime: hours(cycle / 2),
      pickupTime: hours(1),
      reviewTime: hours(cycle / 2 - 1),
      medianLinesChanged: lines,
      reworkCommitsPerMergedPr: 0.5,
    });
    const withAi = content();
    withAi.view = {
      ...withAi.view,
      aiAdoption: {
        aiAssisted: group(1, 10, 80),
        notAiAssisted: group(2, 30, 120),
        copilot: {
          daysReported: 5,
          activeUsers: 4,
          engagedUsers: 3,
          chatUsers: 2,
          agentUsers: 1,
          codeSuggestions: 200,
          codeAcceptances: 50,
          acceptanceRate: 0.25,
          linesSuggested: 600,
          linesAccepted: 150,
          pullRequestsCreatedByCopilot: 1,
          pullRequestsReviewedByCopilot: 2,
        },
        copilotActiveAuthorsShare: 0.67,
        copilotNoDataDays: 0,
      },
    };
    const email = renderDigest(withAi, unsubscribeUrl);
    expect(email.text).toContain(`AI adoption
  Merged PRs       Count  Cycle (median)  Coding  Pickup  Review  Size (lines)  Rework/PR
  AI-assisted          1          10.0 h   5.0 h   1.0 h   4.0 h            80        0.5
  Not AI-assisted      2          30.0 h  15.0 h   1.0 h  14.0 h           120        0.5
  4 people used Copilot (3 engaged: prompted or accepted code; 2 in chat, 1 in agent mode).
  25% of code suggestions accepted (50 of 200); 150 of 600 suggested lines added.
  Copilot opened 1 and reviewed 2 pull requests.
  67% of merged PRs were by authors who used Copilot that week.

Slowest PRs merged this week`);
    expect(email.html).toContain(
      '<p>25% of code suggestions accepted (50 of 200); 150 of 600 suggested lines added.</p>',
    );

    // GitHub refused the reports: the section says why, even with no AI-assisted PR.
    const refused = content();
    refused.view = {
      ...refused.view,
      aiAdoption: {
        ...(withAi.view.aiAdoption as NonNullable<typeof withAi.view.aiAdoption>),
        aiAssisted: group(0, 0, 0),
        copilot: null,
        copilotActiveAuthorsShare: null,
      },
    };
    refused.copilot = { access: 'no-permission', checkedAt: '2026-11-16T05:00:00Z' };
    expect(renderDigest(refused, unsubscribeUrl).text).toContain(
      '  Copilot usage is not shown: the App has not been granted the "Organization Copilot metrics" read permission.',
    );

    // GitHub answered "no data" for the week's days: the section says so.
    const quiet = content();
    quiet.view = {
      ...quiet.view,
      aiAdoption: {
        ...(refused.view.aiAdoption as NonNullable<typeof refused.view.aiAdoption>),
        copilotNoDataDays: 7,
      },
    };
    expect(renderDigest(quiet, unsubscribeUrl).text).toContain(
      '  GitHub reported no Copilot usage this week: it reports none for fewer than five Copilot users, or a day nobody used it.',
    );
  });

  it('adds a "Delivery" section with the four keys, their levels and the lead time phase by phase', () => {
    const hours = (median: number) => ({ count: 6, median, p75: median, p90: median });
    const change = (value: number, previousWeek: number, fourWeekAverage: number) => ({
      value,
      previousWeek,
      change: value - previousWeek,
      fourWeekAverage,
    });
    const shipped = content();
    shipped.view = {
      ...shipped.view,
      delivery: {
        figures: {
          deployments: 9,
          deploymentDays: 4,
          leadTime: hours(30.5),
          deployPhase: hours(5),
          changeFailure: { failed: 1, deployments: 10, rate: 0.1 },
          timeToRestore: hours(2),
        },
        headlines: {
          deployments: change(9, 7, 8),
          deploymentDays: change(4, 4, 3.5),
          leadTimeMedian: change(30.5, 40, 35),
          deployPhaseMedian: change(5, 5, 6),
          changeFailureRate: change(0.1, 0.2, 0.15),
          timeToRestoreMedian: change(2, 1, 1.5),
        },
        levels: {
          deploymentFrequency: 'elite',
          leadTime: 'high',
          changeFailureRate: 'high',
          timeToRestore: 'high',
          source: { name: 'DORA 2023', url: 'https://dora.dev/', year: 2023 },
        },
      },
    };
    // The phases before the merge are the week's merged PRs' (coding 0, pickup 3, review 12 h).
    expect(renderDigest(shipped, unsubscribeUrl).text).toContain(`Delivery
  Delivery                        This week  vs last week  4-week avg  DORA level
  Production deployments                  9          ▲ +2           8  elite
  Days with a deployment                  4           = 0         3.5
  Lead time for changes (median)     30.5 h      ▼ −9.5 h      35.0 h  high
  Merge to production (median)        5.0 h       = 0.0 h       6.0 h
  Change failure rate                   10%     ▼ −10 pts         15%  high
  Time to restore (median)            2.0 h      ▲ +1.0 h       1.5 h  high
  Lead time, phase by phase (medians): coding 0.0 h, pickup 3.0 h, review 12.0 h (merged PRs), then merge to production 5.0 h (6 changes shipped).
  1 of 10 production deployments failed (a failed status, a rollback, a revert or an incident).
  A deployment is each published release other than a pre-release, of its tag's commit; an incident is an issue with a label matching /incident/i. Levels from DORA 2023.

Slowest PRs merged this week`);
    // Without deployments on record there is no such section.
    expect(renderDigest(content(), unsubscribeUrl).text).not.toContain('Delivery');
  });

  it('names weeks that straddle a month or a year in full', () => {
    expect(formatWeekDays(weekBounds('2026-W44', 'UTC'), 'UTC')).toBe('26 Oct – 1 Nov 2026');
    expect(formatWeekDays(weekBounds('2026-W53', 'UTC'), 'UTC')).toBe('28 Dec 2026 – 3 Jan 2027');
  });
});
