import { describe, expect, it } from 'vitest';
import {
  organisationDay,
  ReportFormatError,
  userDays,
} from '#shared/github/copilot-report-files.ts';
import { copilotWeek } from '#shared/metrics/copilot-usage.ts';
import { organisationReport, usersReport } from './copilot-report-files.ts';

describe("GitHub's Copilot usage report files", () => {
  it("reads the organisation's day totals", () => {
    expect(organisationDay([organisationReport], '2026-11-17')).toEqual({
      day: '2026-11-17',
      activeUsers: 3,
      codeSuggestions: 5,
      codeAcceptances: 2,
      linesSuggested: 35,
      linesAccepted: 30,
      pullRequestsCreatedByCopilot: 1,
      pullRequestsReviewedByCopilot: 2,
    });
    expect(organisationDay([organisationReport], '2026-11-18')).toBeNull();
  });

  it("reads each user's day, fields GitHub leaves out counting as none", () => {
    const users = userDays([usersReport], '2026-11-17');
    expect(users.map((user) => user.login)).toEqual(['ada', 'bo', 'cy']);
    expect(users[1]).toEqual({
      day: '2026-11-17',
      userId: 102,
      login: 'bo',
      interactions: 4,
      codeSuggestions: 2,
      codeAcceptances: 1,
      linesSuggested: 25,
      linesAccepted: 22,
      usedChat: true,
      usedAgent: true,
    });
    expect(users[2]).toMatchObject({ codeSuggestions: 0, interactions: 0, usedChat: false });
  });

  it('refuses a record without its user, naming the line', () => {
    const broken = `${usersReport}{"day": "2026-11-17", "user_login": "dee"}\n`;
    expect(() => userDays([broken], '2026-11-17')).toThrow(ReportFormatError);
    expect(() => userDays([broken], '2026-11-17')).toThrow(/users report, line 4: user_id/);
    expect(() => userDays(['{not json'], '2026-11-17')).toThrow(/line 1: not JSON/);
  });
});

describe("a week's Copilot figures", () => {
  // Two report days. Monday: the fixture's organisation totals and users
  // (ada, bo, cy). Tuesday: 10 suggestions, 4 accepted, 20 lines suggested,
  // 9 added, one PR reviewed by Copilot; ada alone, accepting code.
  const monday = organisationDay([organisationReport], '2026-11-17');
  const tuesday = {
    day: '2026-11-18',
    activeUsers: 1,
    codeSuggestions: 10,
    codeAcceptances: 4,
    linesSuggested: 20,
    linesAccepted: 9,
    pullRequestsCreatedByCopilot: 0,
    pullRequestsReviewedByCopilot: 1,
  };
  const users = [
    ...userDays([usersReport], '2026-11-17'),
    {
      day: '2026-11-18',
      userId: 101,
      login: 'ada',
      interactions: 0,
      codeSuggestions: 10,
      codeAcceptances: 4,
      linesSuggested: 20,
      linesAccepted: 9,
      usedChat: false,
      usedAgent: false,
    },
  ];

  it('sums the days and counts each person once', () => {
    expect(
      copilotWeek(
        [monday, tuesday].filter((day) => day !== null),
        users,
      ),
    ).toEqual({
      daysReported: 2,
      // ada, bo, cy; ada twice but one person.
      activeUsers: 3,
      // ada accepted code, bo prompted and accepted; cy (CLI only) did neither in the IDE.
      engagedUsers: 2,
      chatUsers: 1,
      agentUsers: 1,
      // 5 + 10 suggestions, 2 + 4 accepted: 6 / 15 = 0.4.
      codeSuggestions: 15,
      codeAcceptances: 6,
      acceptanceRate: 0.4,
      linesSuggested: 55,
      linesAccepted: 39,
      pullRequestsCreatedByCopilot: 1,
      pullRequestsReviewedByCopilot: 3,
    });
  });

  it('has no people counts without the users report, and is nothing without any report', () => {
    const week = copilotWeek([tuesday], []);
    expect(week).toMatchObject({ activeUsers: null, engagedUsers: null, codeSuggestions: 10 });
    expect(copilotWeek([], [])).toBeNull();
  });
});
