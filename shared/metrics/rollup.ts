import { type AgreementShares, agreementShares, type ScopeAgreements } from './agreement-shares.ts';
import { type AiAdoption, aiAdoption, type CopilotDays } from './ai-adoption.ts';
import type { Clock } from './clock.ts';
import { type DeliveryWeek, deliveryWeek } from './delivery-week.ts';
import { type FlowMetrics, flowMetrics, type Window, weekReviews } from './flow-metrics.ts';
import { distinctIds, groupUnder } from './grouping.ts';
import type { ProductionDeploy } from './production-history.ts';
import type { StoredPullRequest } from './pull-request.ts';

/** One row of a week's metrics: the whole organisation (or user account), one GitHub team, one repository or one author. */
export interface MetricRow {
  /** `organisation`, `team#<id>`, `repo#<id>` or `author#<id>`: the row's key within its week. */
  row: string;
  scope: 'organisation' | 'team' | 'repository' | 'author';
  /** Repository full name or author login; the account for the organisation row. */
  name: string;
  metrics: FlowMetrics;
  /** The organisation row's AI adoption. */
  ai?: AiAdoption;
  /** An author row's: whether they used Copilot that week (only with GitHub's users report). */
  copilotActive?: boolean;
  /** The organisation's and a repository's delivery (DORA) figures, where it has production deployments on record. */
  delivery?: DeliveryWeek;
  /** The organisation's and a team's: each working agreement it set, how many of the week's merged PRs met it. */
  agreements?: AgreementShares;
  /**
   * The repositories an organisation, team or author row was computed from, in id order:
   * the dashboard shows the row only to a person who can see all of them.
   */
  repositoryIds?: number[];
}

/** A repository's production deployments around the week, as `productionHistory` reads them. */
export interface RepositoryHistory {
  repositoryId: number;
  repositoryFullName: string;
  history: readonly ProductionDeploy[];
}

/** What the delivery figures need: the histories of the repositories that deploy, and the days' time zone. */
export interface DeliveryInputs {
  histories: readonly RepositoryHistory[];
  timeZone: string;
}

/**
 * A week with any PR opened, merged or closed, or a review given: the ones
 * that get a row, and a digest that is not "quiet". (A row stored before
 * reviews given were counted lacks them: compared apart, so it is no NaN.)
 */
export function hadActivity(metrics: FlowMetrics): boolean {
  return (
    metrics.opened + metrics.merged + metrics.closedWithoutMerge > 0 || metrics.reviewsGiven > 0
  );
}

/**
 * A week's metric rows from the pull requests that opened or closed in it:
 * the organisation, then each repository (with activity or a production deployment
 * ending in the week) and each person who opened, merged or closed a PR or
 * gave a review, in id order, so the same data always give the same rows. The organisation row carries the
 * week's AI adoption, from the PRs and Copilot's report days; the organisation and
 * repository rows their delivery figures, where there are deployments.
 */
export function rollupWeek(
  organisationName: string,
  pullRequests: readonly StoredPullRequest[],
  week: Window,
  copilot: CopilotDays,
  delivery: DeliveryInputs = { histories: [], timeZone: 'UTC' },
  /** The organisation's working calendar, when it has one: every row's durations in working time too. */
  working?: Clock,
  /** The organisation's working agreements, where it set any. */
  agreements?: ScopeAgreements,
): MetricRow[] {
  const shares = agreementShares(pullRequests, week, agreements);
  const figuresFor = (histories: readonly RepositoryHistory[]) =>
    histories.length > 0
      ? {
          delivery: deliveryWeek(
            histories.map((repository) => repository.history),
            week,
            delivery.timeZone,
            working,
          ),
        }
      : {};
  const byRepository = groupUnder(pullRequests, (pr) => [pr.repositoryId]);
  const repositoryIds = distinctIds([
    ...byRepository.keys(),
    ...delivery.histories.map((h) => h.repositoryId),
  ]);
  const reviews = weekReviews(pullRequests, week);
  const rows: MetricRow[] = [
    {
      row: 'organisation',
      scope: 'organisation',
      name: organisationName,
      metrics: flowMetrics(pullRequests, week, reviews, working),
      ai: aiAdoption(pullRequests, week, copilot),
      ...figuresFor(delivery.histories),
      ...(shares ? { agreements: shares } : {}),
      repositoryIds,
    },
  ];
  const copilotUsers = new Set(copilot.users.map((user) => user.userId));
  for (const id of repositoryIds) {
    const prs = byRepository.get(id) ?? [];
    const metrics = flowMetrics(prs, week, undefined, working);
    const histories = delivery.histories.filter((history) => history.repositoryId === id);
    const figures = figuresFor(histories);
    const deployed = (figures.delivery?.changeFailure?.deployments ?? 0) > 0;
    if (!hadActivity(metrics) && !deployed) continue;
    const name = prs[0]?.repositoryFullName ?? histories[0]?.repositoryFullName ?? String(id);
    rows.push({ row: `repo#${id}`, scope: 'repository', name, metrics, ...figures });
  }
  // A person's review load is the reviews they gave, on anyone's pull requests (review-load.ts).
  const byAuthor = groupUnder(pullRequests, (pr) => (pr.authorType === 'Bot' ? [] : [pr.authorId]));
  const byReviewer = groupUnder(reviews, (review) => [review.reviewerId]);
  for (const id of distinctIds([...byAuthor.keys(), ...byReviewer.keys()])) {
    const prs = byAuthor.get(id) ?? [];
    const given = byReviewer.get(id) ?? [];
    const metrics = flowMetrics(prs, week, given, working);
    if (!hadActivity(metrics)) continue;
    rows.push({
      row: `author#${id}`,
      scope: 'author',
      name: prs[0]?.authorLogin ?? given[0]?.reviewerLogin ?? String(id),
      metrics,
      ...(copilot.users.length > 0 ? { copilotActive: copilotUsers.has(id) } : {}),
      repositoryIds: distinctIds([
        ...prs.map((pr) => pr.repositoryId),
        ...given.map((review) => review.repositoryId),
      ]),
    });
  }
  return rows;
}
