import { agreementShares, type ScopeAgreements } from './agreement-shares.ts';
import { aiAdoption, type CopilotDays } from './ai-adoption.ts';
import type { Clock } from './clock.ts';
import { deliveryWeek } from './delivery-week.ts';
import { flowMetrics, type Window, weekReviews } from './flow-metrics.ts';
import { distinctIds, groupUnder } from './grouping.ts';
import type { MergedChange, ProductionDeploy } from './production-history.ts';
import type { StoredPullRequest } from './pull-request.ts';
import type { MetricRow, RepositoryHistory } from './rollup.ts';
import { hadActivity } from './rollup.ts';
import { pullRequestTeams, type TeamDirectory } from './team-attribution.ts';

/**
 * A week's rows of every GitHub team with work in it: the same flow,
 * delivery and AI figures as the organisation's row, over the team's share
 * of the week's data, attributed in memory from the one read of the week
 * (team-attribution.ts has the rule):
 * - flow: the pull requests of the team's people (at their merge, or
 *   opening while not merged) — but review load (review-load.ts), which is
 *   over the reviews the team's people gave (at each review), on anyone's
 *   pull requests;
 * - delivery: the deployments that shipped at least one of the team's pull
 *   requests, each taken with the team's changes only (its lead time is
 *   over the team's PRs); a deployment that shipped none of them — a failed
 *   status ships nothing — is not the team's;
 * - AI adoption: the team's pull requests, and the Copilot days of its
 *   people on those days (GitHub's organisation totals, such as suggestions
 *   accepted, do not split by person, so a team's Copilot part is its
 *   people's activity).
 */
export function teamRows(
  directory: TeamDirectory,
  pullRequests: readonly StoredPullRequest[],
  week: Window,
  copilot: CopilotDays,
  delivery: { histories: readonly RepositoryHistory[]; timeZone: string },
  /** A team's working calendar, where it has one (its own, or the organisation's). */
  workingOf: (teamId: number) => Clock | undefined = () => undefined,
  /** A team's working agreements (its own over the organisation's), where it has any. */
  agreementsOf: (teamId: number) => ScopeAgreements | undefined = () => undefined,
): MetricRow[] {
  // Each pull request, review, shipped change and Copilot day is attributed once, not once per team.
  const prsOf = groupUnder(pullRequests, (pr) => pullRequestTeams(directory, pr));
  const reviewsOf = groupUnder(weekReviews(pullRequests, week), (review) =>
    directory.teamsOf(review.reviewerId, review.submittedAt),
  );
  const userDaysOf = groupUnder(copilot.users, (user) =>
    directory.teamsOf(user.userId, `${user.day}T12:00:00Z`),
  );
  const teamsOfChange = new Map<MergedChange, number[]>();
  for (const { history } of delivery.histories)
    for (const deploy of history)
      for (const change of deploy.shipped)
        teamsOfChange.set(change, changeTeams(directory, change));
  const rows: MetricRow[] = [];
  for (const team of [...directory.teams.values()].sort((a, b) => a.teamId - b.teamId)) {
    const prs = prsOf.get(team.teamId) ?? [];
    const reviews = reviewsOf.get(team.teamId) ?? [];
    const ownsChange = (change: MergedChange) =>
      teamsOfChange.get(change)?.includes(team.teamId) ?? false;
    const histories = teamHistories(delivery.histories, ownsChange);
    const working = workingOf(team.teamId);
    const figures = deliveryWeek(
      histories.map((repository) => repository.history),
      week,
      delivery.timeZone,
      working,
    );
    const metrics = flowMetrics(prs, week, reviews, working);
    const deployed = (figures.changeFailure?.deployments ?? 0) > 0;
    if (!hadActivity(metrics) && !deployed) continue;
    const users = userDaysOf.get(team.teamId) ?? [];
    const shares = agreementShares(prs, week, agreementsOf(team.teamId));
    rows.push({
      row: `team#${team.teamId}`,
      scope: 'team',
      name: team.name,
      metrics,
      ai: aiAdoption(prs, week, { organisation: [], users, noDataDays: copilot.noDataDays }),
      ...(deployed ? { delivery: figures } : {}),
      ...(shares ? { agreements: shares } : {}),
      // Every repository a figure of the row came from: its PRs', its deployments', its reviews'.
      repositoryIds: distinctIds([
        ...prs.map((pr) => pr.repositoryId),
        ...histories.map((repository) => repository.repositoryId),
        ...reviews.map((review) => review.repositoryId),
      ]),
    });
  }
  return rows;
}

/** The teams a shipped change counts for: those of its author (an agent's: its assignees') when it merged. */
export const changeTeams = (directory: TeamDirectory, change: MergedChange): number[] =>
  pullRequestTeams(directory, { ...change, createdAt: change.mergedAt });

/**
 * The histories as a team's delivery figures take them: each deployment
 * that shipped at least one of the team's changes, with those changes only.
 */
export function teamHistories(
  histories: readonly RepositoryHistory[],
  ownsChange: (change: MergedChange) => boolean,
): RepositoryHistory[] {
  return histories
    .map((repository) => ({
      ...repository,
      history: repository.history.flatMap((deploy): ProductionDeploy[] => {
        const shipped = deploy.shipped.filter(ownsChange);
        return shipped.length > 0 ? [{ ...deploy, shipped }] : [];
      }),
    }))
    .filter((repository) => repository.history.length > 0);
}
