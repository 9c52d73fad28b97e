import type { GitHubSimulatorOptions, RequestLogEntry } from '#infra/local/github-sim/server.ts';
import { startStackWithSimulator, syncsComplete } from '#infra/local/stack-with-simulator.ts';
import { type Figure, report } from './report.ts';

/**
 * Benchmark, part 10: each installation's GitHub budget, as GitHub counts
 * it. Three installations backfill at once with ten workers; the
 * simulator's primary window is shrunk from an hour to a minute, and its
 * limit to 300 points, so a run crosses several resets; its secondary
 * limits stay GitHub's (2,000 points a minute, 100 requests at once). From
 * the simulator's own request log: points each installation spent in each
 * window against its limit, and requests refused (primary or secondary).
 */
const windowMs = 60_000;
const graphqlLimit = 300;
const reserve = 50;
const workers = 10;

const organisation = (
  index: number,
  repositories: number,
  pullRequests: number,
): GitHubSimulatorOptions['dataset'] => ({
  seed: 900 + index,
  installationId: 900 + index,
  organisation: `budget-org-${index + 1}`,
  repositories: Array.from({ length: repositories }, (_, i) => ({
    name: `repo-${i + 1}`,
    pullRequests,
  })),
});
const [first, ...rest] = [
  organisation(0, 12, 1000),
  organisation(1, 4, 1000),
  organisation(2, 3, 200),
] as const;

// The worker keeps this many points for webhook-driven work; 100 deployed, scaled with the limit.
process.env.SYNC_RATE_LIMIT_RESERVE = String(reserve);
const { sim, stack, stop } = await startStackWithSimulator(
  {
    dataset: first,
    organisations: rest,
    copilotMetrics: 'disabled',
    rateLimits: { graphqlLimit, windowMs },
    faults: { secondary: { pointsPerMinute: 2000, maxConcurrent: 100 } },
  },
  { daysBack: 0, syncWorkers: workers },
);
const started = performance.now();
const ids = [first, ...rest].map((org) => org.installationId);
await Promise.all(ids.map((id) => sim.installations.get(id)?.activity.installed()));
await Promise.all(ids.map((id) => syncsComplete(stack, id)));
const seconds = (performance.now() - started) / 1000;
const log = [...sim.requestLog];
await stop();

/** GitHub's windows, as the simulator keeps them: one starts at the first request after the last one ended. */
function windows(entries: RequestLogEntry[]): RequestLogEntry[][] {
  const result: RequestLogEntry[][] = [];
  let startedAt = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    const at = Date.parse(entry.at);
    if (at >= startedAt + windowMs) {
      startedAt = at;
      result.push([]);
    }
    result.at(-1)?.push(entry);
  }
  return result;
}
/** Refused for a rate limit; the Copilot reports' 403 (not enabled for these organisations) is no refusal of the budget. */
const refused = (entry: RequestLogEntry) =>
  (entry.status === 403 || entry.status === 429) && !entry.path.includes('/copilot/');

const figures: Figure[] = [
  {
    name: 'three installations backfilling at once, to all complete',
    measured: `${seconds.toFixed(0)} s`,
  },
];
for (const org of [first, ...rest]) {
  const graphql = log.filter(
    (entry) => entry.installationId === org.installationId && entry.path.startsWith('/graphql'),
  );
  const byWindow = windows(graphql);
  const spent = byWindow.map((window) =>
    window.reduce((sum, entry) => sum + (refused(entry) ? 0 : (entry.graphqlCost ?? 0)), 0),
  );
  const refusals = byWindow.map((window) => window.filter(refused).length);
  const perMinute = Math.max(
    ...graphql.map((entry) => {
      const at = Date.parse(entry.at);
      return graphql
        .filter((other) => Date.parse(other.at) > at - 60_000 && Date.parse(other.at) <= at)
        .reduce((sum, other) => sum + (refused(other) ? 0 : (other.graphqlCost ?? 0)), 0);
    }),
  );
  const prs = org.repositories.reduce((sum, repo) => sum + repo.pullRequests, 0);
  figures.push({
    name: `${org.organisation}, ${prs.toLocaleString('en')} PRs: points spent in each window; most in any 60 s; requests refused`,
    measured: `${spent.join(', ')} in ${spent.length} window(s); ${perMinute} in 60 s; ${refusals.reduce((sum, n) => sum + n, 0)} refused`,
    target: `each window at most ${graphqlLimit - reserve} (the limit less the reserve), under 2,000 in any 60 s, none refused`,
    met:
      spent.every((points) => points <= graphqlLimit - reserve) &&
      perMinute < 2000 &&
      refusals.every((n) => n === 0),
  });
}
report(
  import.meta.url,
  `GitHub budget per installation: ${workers} workers; the simulator's window shrunk to ${windowMs / 1000} s and ${graphqlLimit} points, the reserve ${reserve}`,
  figures,
);
