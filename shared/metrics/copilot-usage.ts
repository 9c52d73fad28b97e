import { round2 } from './distribution.ts';

/**
 * GitHub Copilot usage as the weekly figures read it: the organisation's
 * day totals and each user's day, from GitHub's usage metrics reports
 * (parsed in `shared/github/copilot-report-files.ts`).
 */

/** The organisation's totals for one day. */
export interface OrganisationDay {
  day: string;
  activeUsers: number;
  /** Code generations shown (GitHub's `code_generation_activity_count`). */
  codeSuggestions: number;
  codeAcceptances: number;
  linesSuggested: number;
  linesAccepted: number;
  pullRequestsCreatedByCopilot: number;
  pullRequestsReviewedByCopilot: number;
}

/** One user's use of Copilot on one day. */
export interface UserDay {
  day: string;
  userId: number;
  login: string;
  /** Prompts the user sent. */
  interactions: number;
  codeSuggestions: number;
  codeAcceptances: number;
  linesSuggested: number;
  linesAccepted: number;
  usedChat: boolean;
  usedAgent: boolean;
}

/** A week of Copilot use, from the report days stored for it. */
export interface CopilotWeek {
  /** Days of the week GitHub reported on (at most 7). */
  daysReported: number;
  /** People who used Copilot on any day of the week; null without the users report. */
  activeUsers: number | null;
  /** Of those, the ones who sent a prompt or accepted code. */
  engagedUsers: number | null;
  chatUsers: number | null;
  agentUsers: number | null;
  codeSuggestions: number;
  codeAcceptances: number;
  /** Acceptances per suggestion; null with no suggestions. */
  acceptanceRate: number | null;
  linesSuggested: number;
  linesAccepted: number;
  pullRequestsCreatedByCopilot: number;
  pullRequestsReviewedByCopilot: number;
}

const sum = <T>(items: readonly T[], value: (item: T) => number) =>
  items.reduce((total, item) => total + value(item), 0);

/** The people among `users` for whom `test` held on some day. */
const peopleWhere = (users: readonly UserDay[], test: (user: UserDay) => boolean) =>
  new Set(users.filter(test).map((user) => user.userId)).size;

/**
 * A week's Copilot figures from its days: the organisation's totals summed,
 * people counted once however many days they used it. Null when GitHub
 * reported nothing for the week.
 */
export function copilotWeek(
  organisation: readonly OrganisationDay[],
  users: readonly UserDay[],
): CopilotWeek | null {
  if (organisation.length === 0 && users.length === 0) return null;
  const perUser = users.length > 0;
  const people = (test: (user: UserDay) => boolean) => (perUser ? peopleWhere(users, test) : null);
  const suggestions = sum(organisation, (day) => day.codeSuggestions);
  const acceptances = sum(organisation, (day) => day.codeAcceptances);
  return {
    daysReported: new Set([...organisation, ...users].map((entry) => entry.day)).size,
    activeUsers: people(() => true),
    engagedUsers: people((user) => user.interactions > 0 || user.codeAcceptances > 0),
    chatUsers: people((user) => user.usedChat),
    agentUsers: people((user) => user.usedAgent),
    codeSuggestions: suggestions,
    codeAcceptances: acceptances,
    acceptanceRate: suggestions === 0 ? null : round2(acceptances / suggestions),
    linesSuggested: sum(organisation, (day) => day.linesSuggested),
    linesAccepted: sum(organisation, (day) => day.linesAccepted),
    pullRequestsCreatedByCopilot: sum(organisation, (day) => day.pullRequestsCreatedByCopilot),
    pullRequestsReviewedByCopilot: sum(organisation, (day) => day.pullRequestsReviewedByCopilot),
  };
}
