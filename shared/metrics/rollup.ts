import { type AiAdoption, aiAdoption, type CopilotDays } from './ai-adoption.ts';
import { type FlowMetrics, flowMetrics, type Window } from './flow-metrics.ts';
import type { StoredPullRequest } from './pull-request.ts';

/** One row of a week's metrics: the whole team, one repository or one author. */
export interface MetricRow {
  /** `team`, `repo#<id>` or `author#<id>`: the row's key within its week. */
  row: string;
  scope: 'team' | 'repository' | 'author';
  /** Repository full name or author login; the account for the team row. */
  name: string;
  metrics: FlowMetrics;
  /** The team row's AI adoption. */
  ai?: AiAdoption;
  /** An author row's: whether they used Copilot that week (only with GitHub's users report). */
  copilotActive?: boolean;
}

/** A week with any PR opened, merged or closed: the ones that get a row, and a digest that is not "quiet". */
export function hadActivity(metrics: FlowMetrics): boolean {
  return metrics.opened + metrics.merged + metrics.closedWithoutMerge > 0;
}

/**
 * A week's metric rows from the pull requests that opened or closed in it:
 * the team, then each repository and each (human) author with activity,
 * in id order, so the same PRs always give the same rows. The team row
 * carries the week's AI adoption, from the PRs and Copilot's report days.
 */
export function rollupWeek(
  teamName: string,
  pullRequests: readonly StoredPullRequest[],
  week: Window,
  copilot: CopilotDays,
): MetricRow[] {
  const groupBy = (key: (pr: StoredPullRequest) => number | null) => {
    const groups = new Map<number, StoredPullRequest[]>();
    for (const pr of pullRequests) {
      const id = key(pr);
      if (id === null) continue;
      const group = groups.get(id);
      if (group) group.push(pr);
      else groups.set(id, [pr]);
    }
    return [...groups.entries()].sort(([a], [b]) => a - b);
  };
  const rows: MetricRow[] = [
    {
      row: 'team',
      scope: 'team',
      name: teamName,
      metrics: flowMetrics(pullRequests, week),
      ai: aiAdoption(pullRequests, week, copilot),
    },
  ];
  const copilotUsers = new Set(copilot.users.map((user) => user.userId));
  for (const [id, prs] of groupBy((pr) => pr.repositoryId)) {
    const metrics = flowMetrics(prs, week);
    const name = prs[0]?.repositoryFullName ?? String(id);
    if (hadActivity(metrics)) rows.push({ row: `repo#${id}`, scope: 'repository', name, metrics });
  }
  for (const [id, prs] of groupBy((pr) => (pr.authorType === 'Bot' ? null : pr.authorId))) {
    const metrics = flowMetrics(prs, week);
    const name = prs[0]?.authorLogin ?? String(id);
    if (!hadActivity(metrics)) continue;
    rows.push({
      row: `author#${id}`,
      scope: 'author',
      name,
      metrics,
      ...(copilot.users.length > 0 ? { copilotActive: copilotUsers.has(id) } : {}),
    });
  }
  return rows;
}
