import type { Graphql } from '../github/app-client.ts';
import { type TeamsAnswer, teamsRequestCost } from '../github/organisation-teams.ts';
import { RateLimitedError } from '../github/rate-limited.ts';
import { claimBudget, recordBudget, requestsPerMinute } from '../store/github-budget.ts';
import type { TableRef } from '../store/table.ts';

/**
 * GitHub's GraphQL for a teams reading, within the installation's budget
 * that its sync workers share (`github-budget.ts`): each request claims its
 * points first, leaving the sync's reserve, and records what GitHub says is
 * left after it — a refusal too, which still reports its cost. A refused
 * claim is a rate limit until the budget's reset.
 */
export function budgetedGraphql(
  graphql: Graphql,
  budget: { table: TableRef; installationId: number; reserve: number; now: () => Date },
): Graphql {
  const record = async (reading: TeamsAnswer['rateLimit'] | undefined) => {
    if (reading)
      await recordBudget(
        budget.table,
        budget.installationId,
        { remaining: reading.remaining, resetAt: Date.parse(reading.resetAt) },
        budget.now(),
      );
  };
  return async <T>(query: string, variables: Record<string, unknown>) => {
    const claim = await claimBudget(
      budget.table,
      budget.installationId,
      { cost: teamsRequestCost, reserve: budget.reserve, perMinute: requestsPerMinute },
      budget.now(),
    );
    if (!claim.granted)
      throw new RateLimitedError(
        "the installation's GitHub budget is down to its reserve",
        claim.resetAt,
      );
    try {
      const answer = await graphql<T>(query, variables);
      await record((answer as Partial<TeamsAnswer>).rateLimit);
      return answer;
    } catch (error) {
      await record((error as { data?: Partial<TeamsAnswer> | null }).data?.rateLimit);
      throw error;
    }
  };
}
