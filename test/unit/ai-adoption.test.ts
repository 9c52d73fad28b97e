import { describe, expect, it } from 'vitest';
import { aiAdoption } from '#shared/metrics/ai-adoption.ts';
import type { UserDay } from '#shared/metrics/copilot-usage.ts';
import { weekBounds } from '#shared/metrics/time-zone.ts';
import { people, pr, review } from '../support/pull-request-factory.ts';

// ISO week 2026-W47: Monday 16 November to Monday 23 November 2026, UTC.
const week = weekBounds('2026-W47', 'UTC');

/** A hand-worked week; each group's expected figures are derived in the comments. */
const pullRequests = [
  // 1 alice, AI-assisted by a `Made-with: Cursor` trailer. Cycle Mon 08:00 (first commit) →
  // Tue 08:00 merge = 24 h; coding 08:00 → 09:00 ready = 1 h; pickup 09:00 → bob 12:00 = 3 h;
  // review 12:00 → Tue 08:00 = 20 h. 120 lines; one commit after the review.
  pr(
    people.alice,
    {
      createdAt: '2026-11-16T09:00:00Z',
      firstCommitAt: '2026-11-16T08:00:00Z',
      mergedAt: '2026-11-17T08:00:00Z',
      additions: 100,
      deletions: 20,
      commitDates: ['2026-11-16T08:00:00Z', '2026-11-16T14:00:00Z'],
      coAuthors: ['cursor'],
    },
    [review(people.bob, '2026-11-16T12:00:00Z')],
  ),
  // 2 bob, AI-assisted by its `claude-code-assisted` label. Created Tue 10:00, merged 16:00
  // unreviewed: cycle 6 h, coding 0 h, no pickup or review. 50 lines, no rework.
  pr(people.bob, {
    createdAt: '2026-11-17T10:00:00Z',
    mergedAt: '2026-11-17T16:00:00Z',
    additions: 40,
    deletions: 10,
    labels: ['Claude-Code-Assisted'],
  }),
  // 3 carol, not AI-assisted (her co-author is a person). Cycle Tue 09:00 → Thu 09:00 = 48 h;
  // coding Tue 09:00 → Wed 09:00 = 24 h; pickup 09:00 → alice 11:00 = 2 h; review Wed 11:00 →
  // Thu 09:00 = 22 h. 400 lines; two commits after the review.
  pr(
    people.carol,
    {
      createdAt: '2026-11-18T09:00:00Z',
      firstCommitAt: '2026-11-17T09:00:00Z',
      mergedAt: '2026-11-19T09:00:00Z',
      additions: 300,
      deletions: 100,
      commitDates: ['2026-11-17T09:00:00Z', '2026-11-18T15:00:00Z', '2026-11-18T16:00:00Z'],
      coAuthors: ['dana <dana@acme.example>'],
    },
    [review(people.alice, '2026-11-18T11:00:00Z')],
  ),
  // 4 dependabot's bump with a Copilot co-author: a bot's PR, left out of both groups.
  pr(people.dependabot, {
    createdAt: '2026-11-18T06:00:00Z',
    mergedAt: '2026-11-18T07:00:00Z',
    coAuthors: ['copilot <175728472+copilot@users.noreply.github.com>'],
  }),
  // 5 Copilot's coding agent: AI-assisted. Created Thu 10:00, carol reviews 12:00, merged 13:00:
  // cycle 3 h, coding 0 h, pickup 2 h, review 1 h. 10 lines.
  pr(
    people.copilotAgent,
    {
      createdAt: '2026-11-19T10:00:00Z',
      mergedAt: '2026-11-19T13:00:00Z',
      additions: 10,
      deletions: 0,
    },
    [review(people.carol, '2026-11-19T12:00:00Z')],
  ),
  // 6 dave's AI-assisted PR still open: merged in neither group.
  pr(people.dave, {
    createdAt: '2026-11-20T10:00:00Z',
    coAuthors: ['claude <noreply@anthropic.com>'],
  }),
];

const copilotUser = (person: { id: number; login: string }, day: string): UserDay => ({
  day,
  userId: person.id,
  login: person.login,
  interactions: 1,
  codeSuggestions: 0,
  codeAcceptances: 0,
  linesSuggested: 0,
  linesAccepted: 0,
  usedChat: true,
  usedAgent: false,
});

describe('AI-assisted pull requests against the rest', () => {
  const adoption = aiAdoption(pullRequests, week, {
    organisation: [],
    noDataDays: 0,
    users: [copilotUser(people.alice, '2026-11-17'), copilotUser(people.carol, '2026-11-18')],
  });

  it('splits the merged PRs by the AI signals, bots left out', () => {
    // AI-assisted: 1, 2, 5. Cycle [3, 6, 24] h: median 6, p90 6 + 0.8 × 18 = 20.4.
    // Coding [0, 0, 1]: median 0. Pickup [2, 3] of the reviewed: median 2.5. Review [1, 20]: 10.5.
    // Size [10, 50, 120]: median 50. Rework 1 commit over 3 PRs: 0.33.
    expect(adoption.aiAssisted).toMatchObject({
      merged: 3,
      cycleTime: { count: 3, median: 6, p90: 20.4 },
      codingTime: { median: 0 },
      pickupTime: { count: 2, median: 2.5 },
      reviewTime: { count: 2, median: 10.5 },
      medianLinesChanged: 50,
      reworkCommitsPerMergedPr: 0.33,
    });
    // Not AI-assisted: 3 alone.
    expect(adoption.notAiAssisted).toMatchObject({
      merged: 1,
      cycleTime: { count: 1, median: 48 },
      codingTime: { median: 24 },
      pickupTime: { median: 2 },
      reviewTime: { median: 22 },
      medianLinesChanged: 400,
      reworkCommitsPerMergedPr: 2,
    });
  });

  it('counts the merged PRs whose author used Copilot that week', () => {
    // alice (1) and carol (3) used Copilot; of the four merged PRs (1, 2, 3, 5) theirs are two.
    expect(adoption.copilotActiveAuthorsShare).toBe(0.5);
    // The users' days alone: two people, both engaged (they prompted).
    expect(adoption.copilot).toMatchObject({ activeUsers: 2, engagedUsers: 2, chatUsers: 2 });
  });

  it('knows nothing of Copilot without its reports', () => {
    const without = aiAdoption(pullRequests, week, { organisation: [], users: [], noDataDays: 0 });
    expect(without.copilot).toBeNull();
    expect(without.copilotActiveAuthorsShare).toBeNull();
    expect(without.aiAssisted.merged).toBe(3);
  });
});
