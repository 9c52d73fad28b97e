import { describe, expect, it } from 'vitest';
import { TeamDirectory } from '#shared/metrics/team-attribution.ts';
import { teamRows } from '#shared/metrics/team-rows.ts';
import { spells, teams } from '../support/hand-worked-teams.ts';
import { people, pr, review } from '../support/pull-request-factory.ts';

const { alice, bob, carol, copilotAgent, dave, erin, dependabot } = people;
const week = { start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') };
const noCopilot = { organisation: [], users: [], noDataDays: 0 };
/** The team rows of a week of pull requests, with no Copilot days and no deployments. */
const rowsOf = (pullRequests: Parameters<typeof teamRows>[1]) =>
  teamRows(new TeamDirectory(teams, spells), pullRequests, week, noCopilot, {
    histories: [],
    timeZone: 'UTC',
  });

describe("a week's team rows", () => {
  it('attribute each pull request to its author’s teams at its merge, parents included, a person in two teams to both', () => {
    const pullRequests = [
      // Alice: 24 h, Platform and API.
      pr(alice, { createdAt: '2026-11-16T09:00:00Z', mergedAt: '2026-11-17T09:00:00Z' }),
      // Bob before his move: 6 h, Web; after it: 24 h, Platform and API.
      pr(bob, { createdAt: '2026-11-16T09:00:00Z', mergedAt: '2026-11-16T15:00:00Z' }),
      pr(bob, { createdAt: '2026-11-18T13:00:00Z', mergedAt: '2026-11-19T13:00:00Z' }),
      // Carol: 36 h, Web and Ops.
      pr(carol, { createdAt: '2026-11-17T09:00:00Z', mergedAt: '2026-11-18T21:00:00Z' }),
      // A bot's: no team's.
      pr(dependabot, { createdAt: '2026-11-17T09:00:00Z', mergedAt: '2026-11-17T10:00:00Z' }),
    ];
    const rows = rowsOf(pullRequests);
    // By hand: Platform and API have Alice's 24 h and Bob's later 24 h; Web has Bob's 6 h and
    // Carol's 36 h (median 21 h); Ops has Carol's 36 h. Together 6 merges, though the week had 4
    // human ones: team figures overlap.
    expect(
      rows.map((row) => [
        row.row,
        row.scope,
        row.name,
        row.metrics.merged,
        row.metrics.cycleTime?.median,
      ]),
    ).toEqual([
      ['team#1', 'team', 'Platform', 2, 24],
      ['team#2', 'team', 'API', 2, 24],
      ['team#3', 'team', 'Web', 2, 21],
      ['team#4', 'team', 'Ops', 1, 36],
    ]);
    expect(rows.every((row) => row.repositoryIds?.join() === '10')).toBe(true);
  });

  it("counts a deployment for the teams whose changes it shipped, each with its own changes' lead time", () => {
    const change = (
      number: number,
      author: { id: number; login: string },
      mergedAt: string,
      firstCommitAt: string,
    ) => ({
      number,
      authorId: author.id,
      authorLogin: author.login,
      authorType: 'User',
      mergeCommitSha: String(number).padStart(40, '0'),
      mergedAt,
      firstCommitAt,
      title: `Change ${number}`,
      headRef: `change-${number}`,
    });
    const deploy = (id: number, at: string, shipped: ReturnType<typeof change>[]) => ({
      deployment: {
        installationId: 1,
        repositoryId: 10,
        repositoryFullName: 'acme/app',
        deploymentId: id,
        environment: 'production',
        sha: shipped.at(-1)?.mergeCommitSha ?? '',
        ref: 'main',
        creatorLogin: null,
        createdAt: at,
        statuses: [],
      },
      state: 'success' as const,
      at,
      rollback: false,
      shipped,
      failedBy: null,
      reasons: [],
      failedAt: null,
      restoredAt: null,
    });
    // Tuesday's deployment ships Alice's change (first commit 10 h before) and Carol's (20 h);
    // Wednesday morning's ships Bob's, merged before his move (30 h).
    const history = [
      deploy(1, '2026-11-17T12:00:00Z', [
        change(1, alice, '2026-11-17T10:00:00Z', '2026-11-17T02:00:00Z'),
        change(2, carol, '2026-11-17T11:00:00Z', '2026-11-16T16:00:00Z'),
      ]),
      deploy(2, '2026-11-18T08:00:00Z', [
        change(3, bob, '2026-11-18T07:00:00Z', '2026-11-17T02:00:00Z'),
      ]),
    ];
    const rows = teamRows(new TeamDirectory(teams, spells), [], week, noCopilot, {
      histories: [{ repositoryId: 10, repositoryFullName: 'acme/app', history }],
      timeZone: 'UTC',
    });
    // By hand: Platform and API deployed once (Tuesday), lead time Alice's 10 h; Web twice, lead
    // times Carol's 20 h and Bob's 30 h (median 25 h); Ops once, Carol's 20 h.
    expect(
      rows.map((row) => [
        row.row,
        row.delivery?.deployments,
        row.delivery?.leadTime?.count,
        row.delivery?.leadTime?.median,
      ]),
    ).toEqual([
      ['team#1', 1, 1, 10],
      ['team#2', 1, 1, 10],
      ['team#3', 2, 2, 25],
      ['team#4', 1, 1, 20],
    ]);
  });

  it("counts review load for the reviewer's teams at each review, whoever wrote the pull request", () => {
    const pullRequests = [
      // Dave's (no team's): ready Monday 09:00, merged Thursday. Bob reviews it Tuesday, in Web
      // (24 h after ready: his turnaround), and again Thursday, in API (given, no turnaround: not
      // his first); Carol Wednesday (48 h).
      pr(dave, { createdAt: '2026-11-16T09:00:00Z', mergedAt: '2026-11-19T09:00:00Z' }, [
        review(bob, '2026-11-17T09:00:00Z', 'changes_requested'),
        review(carol, '2026-11-18T09:00:00Z'),
        review(bob, '2026-11-19T08:00:00Z'),
      ]),
      // Alice's (Platform and API): ready Monday 12:00, reviewed by Carol at 18:00 (6 h), merged
      // Tuesday.
      pr(alice, { createdAt: '2026-11-16T12:00:00Z', mergedAt: '2026-11-17T12:00:00Z' }, [
        review(carol, '2026-11-16T18:00:00Z'),
      ]),
      // Erin's (no team's), in another repository, still open: Alice reviews it Wednesday.
      pr(
        erin,
        { createdAt: '2026-11-17T10:00:00Z', repositoryId: 11, repositoryFullName: 'acme/site' },
        [review(alice, '2026-11-18T10:00:00Z', 'commented')],
      ),
    ];
    const rows = rowsOf(pullRequests);
    // By hand:
    // - Platform and API: Alice's PR (merged 1, 1 review received); reviews given by Bob on
    //   Thursday and Alice on Erin's: 2 by 2 reviewers, neither a first review of a PR merged in
    //   the week (no turnaround); active: Alice, Bob; repositories 10 and 11.
    // - Web: no PR of its own, a row for its reviews: Bob's Tuesday one (24 h) and Carol's two
    //   (48 h, 6 h): 3 by 2 reviewers, turnaround median of [6, 24, 48] = 24 h.
    // - Ops: Carol's two: 2 by 1 reviewer, turnaround median of [6, 48] = 27 h.
    expect(
      rows.map((row) => [
        row.row,
        row.metrics.merged,
        row.metrics.reviewsPerMergedPr,
        row.metrics.reviewsGiven,
        row.metrics.reviewers,
        row.metrics.reviewTurnaround?.median ?? null,
        row.metrics.activeContributors,
        row.repositoryIds,
      ]),
    ).toEqual([
      ['team#1', 1, 1, 2, 2, null, 2, [10, 11]],
      ['team#2', 1, 1, 2, 2, null, 2, [10, 11]],
      ['team#3', 0, null, 3, 2, 24, 2, [10]],
      ['team#4', 0, null, 2, 1, 27, 1, [10]],
    ]);
  });

  it("counts an AI agent's pull request for the teams of the person assigned to it, as AI-assisted work", () => {
    const forCarol = { assignees: [{ id: carol.id, login: carol.login }] };
    const pullRequests = [
      // Carol's own: 36 h, Web and Ops.
      pr(carol, { createdAt: '2026-11-17T09:00:00Z', mergedAt: '2026-11-18T21:00:00Z' }),
      // Copilot's coding agent's, for Carol: 4 h, Web and Ops too.
      pr(copilotAgent, {
        createdAt: '2026-11-17T09:00:00Z',
        mergedAt: '2026-11-17T13:00:00Z',
        ...forCarol,
      }),
      // The agent's, for Bob, merged Monday while he was in Web: 2 h, Web's.
      pr(copilotAgent, {
        createdAt: '2026-11-16T09:00:00Z',
        mergedAt: '2026-11-16T11:00:00Z',
        assignees: [{ id: bob.id, login: bob.login }],
      }),
      // Dependabot's, though assigned to Carol: a bot's, no team's.
      pr(dependabot, {
        createdAt: '2026-11-17T09:00:00Z',
        mergedAt: '2026-11-17T10:00:00Z',
        ...forCarol,
      }),
    ];
    const rows = rowsOf(pullRequests);
    // By hand: Web has Carol's 36 h and the agent's 4 h and 2 h (median 4 h), two of three
    // AI-assisted (0.67), one active contributor (Carol: the agent is no person, Bob's PR was the
    // agent's); Ops has Carol's 36 h and the agent's 4 h (median 20 h), half AI-assisted.
    expect(
      rows.map((row) => [
        row.row,
        row.metrics.merged,
        row.metrics.cycleTime?.median,
        row.metrics.aiAssistedShare,
        row.metrics.activeContributors,
      ]),
    ).toEqual([
      ['team#3', 3, 4, 0.67, 1],
      ['team#4', 2, 20, 0.5, 1],
    ]);
  });

  it('leaves out a team with no work in the week', () => {
    const rows = rowsOf([
      pr(carol, { createdAt: '2026-11-17T09:00:00Z', mergedAt: '2026-11-18T21:00:00Z' }),
    ]);
    expect(rows.map((row) => row.row)).toEqual(['team#3', 'team#4']);
  });

  it("counts each Copilot user day for the teams its user was in that day, a mover's for the team of the day", () => {
    const day = (userId: number, login: string, on: string, usedChat = false) => ({
      day: on,
      userId,
      login,
      interactions: 3,
      codeSuggestions: 10,
      codeAcceptances: 4,
      linesSuggested: 20,
      linesAccepted: 8,
      usedChat,
      usedAgent: false,
    });
    const copilot = {
      organisation: [],
      users: [
        // Alice, Tuesday: API and its parent Platform.
        day(alice.id, alice.login, '2026-11-17', true),
        // Bob, Monday (in Web) and Thursday (in API since Wednesday noon).
        day(bob.id, bob.login, '2026-11-16'),
        day(bob.id, bob.login, '2026-11-19'),
        // Carol, Friday: Web and Ops.
        day(carol.id, carol.login, '2026-11-20', true),
      ],
      noDataDays: 0,
    };
    // Every team merged something, so each has a row.
    const rows = teamRows(
      new TeamDirectory(teams, spells),
      [
        pr(alice, { createdAt: '2026-11-16T09:00:00Z', mergedAt: '2026-11-17T09:00:00Z' }),
        pr(carol, { createdAt: '2026-11-17T09:00:00Z', mergedAt: '2026-11-18T21:00:00Z' }),
      ],
      week,
      copilot,
      { histories: [], timeZone: 'UTC' },
    );
    // By hand: Platform and API had Alice (chat) and Bob (Thursday): 2 active, 1 on chat, 2 days
    // reported; Web had Bob (Monday) and Carol (chat): 2 active, 1 on chat; Ops Carol alone.
    expect(
      rows.map((row) => [
        row.row,
        row.ai?.copilot?.activeUsers,
        row.ai?.copilot?.chatUsers,
        row.ai?.copilot?.daysReported,
      ]),
    ).toEqual([
      ['team#1', 2, 1, 2],
      ['team#2', 2, 1, 2],
      ['team#3', 2, 1, 2],
      ['team#4', 1, 1, 1],
    ]);
  });
});
