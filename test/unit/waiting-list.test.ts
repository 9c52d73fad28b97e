import { describe, expect, it } from 'vitest';
import { agreementsMet, effectiveAgreements } from '#shared/metrics/agreements.ts';
import { nudgeDue } from '#shared/metrics/nudge-day.ts';
import { TeamDirectory } from '#shared/metrics/team-attribution.ts';
import { type WaitingInput, waitingList, waitingRules } from '#shared/metrics/waiting-list.ts';
import { nudgeCalendars } from '#shared/store/nudge-settings.ts';
import type { ResolvedCalendar } from '#shared/working-time/calendar.ts';
import { people, pr, review } from '../support/pull-request-factory.ts';

const { alice, bob, carol, dave } = people;
/** Platform (team 7): alice and bob. Carol and dave are in no team. */
const platform = 7;
const directory = new TeamDirectory(
  [
    {
      teamId: platform,
      slug: 'platform',
      name: 'Platform',
      privacy: 'visible',
      parentTeamId: null,
    },
  ],
  [alice, bob].map((person) => ({
    teamId: platform,
    userId: person.id,
    login: person.login,
    joinedAt: '2020-01-01T00:00:00Z',
    leftAt: null,
  })),
);
/** Berlin, Monday to Friday 09:00–17:00 (CEST, UTC+2, in May 2026). */
const berlin: ResolvedCalendar = {
  timeZone: 'Europe/Berlin',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { start: '09:00', end: '17:00' },
  daysOff: [],
};
const rules = waitingRules({ firstReviewWithinHours: 4 });

// Friday 8 May 2026, 18:00 Berlin: carol asks Platform to review her PR, after its working hours.
const requested = '2026-05-08T16:00:00Z';
const fridayEvening = pr(carol, { createdAt: requested, updatedAt: requested, title: 'Fix login' });
// Alice's draft, days old: not ready, so never on the open set the list reads.
const draft = pr(alice, { createdAt: '2026-05-04T08:00:00Z', draft: true });
// Bob's PR, ready Thursday 10:00, with only his own comment on it.
const ownComment = pr(
  bob,
  { createdAt: '2026-05-07T08:00:00Z', updatedAt: '2026-05-07T09:00:00Z' },
  [review(bob, '2026-05-07T09:00:00Z', 'commented')],
);

function platformList(now: string, open: WaitingInput['open'], calendar?: ResolvedCalendar) {
  return waitingList({
    open,
    recent: [],
    window: { start: new Date('2026-05-08T07:00:00Z'), end: new Date(now) },
    rules,
    calendar,
    team: { teamId: platform, directory },
  });
}

const standing = [
  { repositoryId: 10, number: fridayEvening.number, teamId: platform, requestedAt: requested },
];
const hours = (n: number) => n * 3_600_000;

describe('the waiting list, worked by hand through a weekend', () => {
  it('on Monday 09:00 lists only what waited over four working hours: not the Friday evening request', () => {
    const open = { pullRequests: [fridayEvening, ownComment], requests: standing };
    // Bob's: Thu 10:00–17:00 (7 h) + Fri 09:00–17:00 (8 h) = 15 working hours, his own comment no review.
    expect(platformList('2026-05-11T07:00:00Z', open, berlin)).toEqual([
      expect.objectContaining({
        number: ownComment.number,
        reason: 'awaiting-review',
        waitedMs: hours(15),
      }),
    ]);
  });

  it('counts the request from Monday 09:00 on: by 14:00 it has waited five working hours', () => {
    const open = { pullRequests: [fridayEvening], requests: standing };
    expect(platformList('2026-05-11T12:00:00Z', open, berlin)).toEqual([
      expect.objectContaining({
        number: fridayEvening.number,
        reason: 'awaiting-review',
        since: requested,
        waitedMs: hours(5),
      }),
    ]);
  });

  it('counts the clock without a working calendar: 63 hours by Monday 09:00', () => {
    const open = { pullRequests: [fridayEvening], requests: standing };
    expect(platformList('2026-05-11T07:00:00Z', open)).toEqual([
      expect.objectContaining({ number: fridayEvening.number, waitedMs: hours(63) }),
    ]);
  });

  it('drops it once reviewed on Monday, and never lists a draft or a request to another team', () => {
    const reviewedAt = '2026-05-11T08:30:00Z';
    const reviewed = {
      ...fridayEvening,
      updatedAt: reviewedAt,
      reviews: { r: review(alice, reviewedAt) },
    };
    const open = {
      pullRequests: [reviewed],
      requests: [
        ...standing,
        { repositoryId: 10, number: draft.number, teamId: 99, requestedAt: requested },
      ],
    };
    expect(platformList('2026-05-12T07:00:00Z', open, berlin)).toEqual([]);
  });

  it('leaves a PR not asked of the team and not its people’s out', () => {
    const open = { pullRequests: [fridayEvening], requests: [] };
    expect(platformList('2026-05-12T07:00:00Z', open, berlin)).toEqual([]);
  });
});

describe('the waiting list since the last nudge', () => {
  const window = { start: new Date('2026-05-08T07:00:00Z'), end: new Date('2026-05-11T07:00:00Z') };
  it('tells merges without review, oversized PRs opened, and PRs idle for days, each once', () => {
    const unreviewed = pr(alice, {
      createdAt: '2026-05-08T09:00:00Z',
      mergedAt: '2026-05-08T10:00:00Z',
    });
    const reviewedMerge = pr(
      bob,
      { createdAt: '2026-05-08T09:00:00Z', mergedAt: '2026-05-08T12:00:00Z' },
      [review(alice, '2026-05-08T11:00:00Z')],
    );
    const beforeWindow = pr(alice, {
      createdAt: '2026-05-07T09:00:00Z',
      mergedAt: '2026-05-07T10:00:00Z',
    });
    const big = pr(bob, { createdAt: '2026-05-08T13:00:00Z', additions: 900, deletions: 20 }, [
      review(alice, '2026-05-08T14:00:00Z'),
    ]);
    const idle = pr(
      alice,
      { createdAt: '2026-05-01T09:00:00Z', updatedAt: '2026-05-06T09:00:00Z' },
      [review(bob, '2026-05-01T10:00:00Z')],
    );
    const list = waitingList({
      open: { pullRequests: [big, idle], requests: [] },
      recent: [unreviewed, reviewedMerge, beforeWindow, big],
      window,
      rules,
      team: { teamId: platform, directory },
    });
    expect(list.map((item) => [item.number, item.reason])).toEqual([
      [unreviewed.number, 'merged-unreviewed'],
      [idle.number, 'idle'],
      [big.number, 'oversized'],
    ]);
    expect(list.find((item) => item.reason === 'oversized')?.changedLines).toBe(920);
  });

  it("is the organisation's without a team: everyone's PRs but bots'", () => {
    const bot = pr(people.dependabot, { createdAt: '2026-05-01T09:00:00Z' });
    const daves = pr(dave, {
      createdAt: '2026-05-01T09:00:00Z',
      updatedAt: '2026-05-10T09:00:00Z',
    });
    const list = waitingList({
      open: { pullRequests: [bot, daves], requests: [] },
      recent: [],
      window,
      rules,
    });
    expect(list.map((item) => item.number)).toEqual([daves.number]);
  });
});

describe('which agreements a merged PR met', () => {
  const merged = pr(
    alice,
    {
      createdAt: '2026-05-08T13:00:00Z',
      mergedAt: '2026-05-11T09:00:00Z',
      additions: 300,
      deletions: 150,
    },
    [review(bob, '2026-05-11T08:00:00Z')],
  ) as ReturnType<typeof pr> & { mergedAt: string };

  it('judges each agreement set, in working hours on a calendar', () => {
    const agreements = {
      firstReviewWithinHours: 4,
      maxChangedLines: 400,
      noMergeWithoutReview: true,
      cycleTimeWithinDays: 3,
    };
    // Ready Fri 15:00 Berlin, reviewed Mon 10:00: 2 + 1 = 3 working hours; 67 clock hours.
    expect(agreementsMet(merged, agreements, berlin)).toEqual({
      firstReviewWithinHours: true,
      maxChangedLines: false,
      noMergeWithoutReview: true,
      cycleTimeWithinDays: true,
    });
    expect(agreementsMet(merged, agreements).firstReviewWithinHours).toBe(false);
  });

  it('leaves out agreements not set, and a team inherits what it did not set', () => {
    expect(agreementsMet(merged, {})).toEqual({});
    expect(
      effectiveAgreements(
        { maxChangedLines: 200 },
        { maxChangedLines: 400, cycleTimeWithinDays: 5 },
      ),
    ).toEqual({
      maxChangedLines: 200,
      cycleTimeWithinDays: 5,
    });
  });
});

describe('when a morning nudge is due', () => {
  it('is due in the chosen hour of a working day, covering since the last working day’s', () => {
    // Monday 11 May 2026, 09:00 Berlin.
    expect(nudgeDue(new Date('2026-05-11T07:00:30Z'), 9, 'UTC', berlin)).toEqual({
      day: '2026-05-11',
      since: new Date('2026-05-08T07:00:00Z'),
      at: new Date('2026-05-11T07:00:00Z'),
    });
    expect(nudgeDue(new Date('2026-05-11T08:00:00Z'), 9, 'UTC', berlin)).toBeUndefined();
  });

  it('is not due on a weekend or a day off, and skips them when looking back', () => {
    expect(nudgeDue(new Date('2026-05-09T07:00:00Z'), 9, 'Europe/Berlin')).toBeUndefined();
    const withDayOff = { ...berlin, daysOff: ['2026-05-08'] };
    expect(nudgeDue(new Date('2026-05-08T07:00:00Z'), 9, 'UTC', withDayOff)).toBeUndefined();
    expect(nudgeDue(new Date('2026-05-11T07:00:00Z'), 9, 'UTC', withDayOff)?.since).toEqual(
      new Date('2026-05-07T07:00:00Z'),
    );
  });
});

describe("the calendars a team's nudge is read on", () => {
  const week = { workingDays: [1, 2, 3, 4] as ResolvedCalendar['workingDays'], daysOff: [] };
  it("follows the organisation's calendar in the team's zone, counting on it only in working hours", () => {
    const organisation = { workingCalendar: week, countTime: 'working' as const };
    expect(nudgeCalendars({ calendar: {} }, organisation, 'Asia/Tokyo')).toEqual({
      days: { ...week, timeZone: 'Asia/Tokyo' },
      counting: { ...week, timeZone: 'Asia/Tokyo' },
    });
    const calendarHours = nudgeCalendars(
      { calendar: { countTime: 'calendar' } },
      organisation,
      'UTC',
    );
    expect(calendarHours).toEqual({ days: { ...week, timeZone: 'UTC' }, counting: undefined });
    expect(nudgeCalendars(undefined, {}, 'UTC')).toEqual({ days: undefined, counting: undefined });
  });
});
