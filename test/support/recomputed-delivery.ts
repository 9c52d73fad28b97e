import type { Octokit } from '@octokit/rest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import type { GitHubSimulator } from '#infra/local/github-sim/server.ts';
import { simOctokit } from './sim-octokit.ts';

/**
 * A week's delivery (DORA) figures recomputed from the simulator's REST API
 * — deployments and their statuses (or releases and their tags), the
 * default branch's commits, issues and pull requests — straight from the
 * definitions of docs/metrics.md: a second path written apart from
 * `shared/metrics/`, which it never calls.
 */
const hour = 3_600_000;
const hundredths = (value: number) => Math.round(value * 100) / 100;

function hours(durations: number[]) {
  if (durations.length === 0) return null;
  const sorted = durations.map((ms) => ms / hour).sort((a, b) => a - b);
  const at = (p: number) => {
    const rank = (sorted.length - 1) * p;
    const low = sorted[Math.floor(rank)] as number;
    const high = sorted[Math.ceil(rank)] as number;
    return hundredths(low + (rank - Math.floor(rank)) * (high - low));
  };
  return { count: sorted.length, median: at(0.5), p75: at(0.75), p90: at(0.9) };
}

export interface Ended {
  id: number;
  environment: string;
  sha: string;
  state: 'success' | 'failure';
  end: number;
  /** A success's move on the default branch from the commit its environment had: null for the first, a failure, or a commit off the branch. */
  move: 'forward' | 'back' | 'same' | null;
  shipped: { number: number; bot: boolean; mergedAt: number; firstCommitAt: number | null }[];
  failedAt: number | null;
  restoredAt: number | null;
  /** The reason whose times count, with what it names: the rollback's deployment, the revert's PR, the incident's number. */
  failedBy: { kind: 'status' | 'rollback' | 'revert' | 'incident'; by: number | null } | null;
}

/** A deployment failed for one more reason: it fails once, timed by the reason that restored production first. */
function fail(
  deploy: Ended,
  reason: NonNullable<Ended['failedBy']>,
  failedAt: number,
  restoredAt: number | null,
) {
  const sooner =
    restoredAt !== null && restoredAt < (deploy.restoredAt ?? Number.POSITIVE_INFINITY);
  if (deploy.failedAt !== null && !sooner) return;
  deploy.failedAt = failedAt;
  deploy.restoredAt = restoredAt;
  deploy.failedBy = reason;
}

/** A repository's production deployments as they ended, each with what it shipped and how it failed. */
export async function recomputedHistory(
  octokit: Octokit,
  fullName: string,
  firstCommitAt: (number: number) => string | null,
  source: 'deployments' | 'releases' = 'deployments',
): Promise<Ended[]> {
  const [owner, repo] = fullName.split('/') as [string, string];
  const commits = (
    await octokit.paginate('GET /repos/{owner}/{repo}/commits', { owner, repo, per_page: 100 })
  ).reverse();
  const place = new Map(commits.map((commit, index) => [commit.sha, index]));
  const pulls = (
    await octokit.paginate('GET /repos/{owner}/{repo}/pulls', {
      owner,
      repo,
      state: 'all',
      per_page: 100,
    })
  ).filter((pr) => pr.merged_at && pr.merge_commit_sha && place.has(pr.merge_commit_sha));
  const ended =
    source === 'releases'
      ? await releasesEnded(octokit, owner, repo)
      : await deploymentsEnded(octokit, owner, repo);
  ended.sort((a, b) => a.end - b.end || a.id - b.id);

  // Walk each environment: the place of the commit it has now, the deployment it runs, failures awaiting a success.
  const shippedBy = new Map<number, Ended>();
  const environments = new Map<string, { had?: number; running?: Ended; broken: Ended[] }>();
  for (const deploy of ended) {
    const env = environments.get(deploy.environment) ?? { broken: [] };
    environments.set(deploy.environment, env);
    if (deploy.state === 'failure') {
      env.broken.push(deploy);
      continue;
    }
    for (const broken of env.broken) broken.restoredAt = deploy.end;
    env.broken = [];
    const at = place.get(deploy.sha);
    const had = env.had;
    if (at !== undefined && had !== undefined) {
      deploy.move = at < had ? 'back' : at > had ? 'forward' : 'same';
      // A rollback: only the deployment it replaced failed, and this restored production.
      if (at < had && env.running)
        fail(env.running, { kind: 'rollback', by: deploy.id }, env.running.end, deploy.end);
      // Every merged PR between the two commits not shipped yet, bots' too.
      for (const pr of pulls) {
        const merged = place.get(pr.merge_commit_sha as string) as number;
        if (merged > had && merged <= at && !shippedBy.has(pr.number)) {
          shippedBy.set(pr.number, deploy);
          const first = firstCommitAt(pr.number);
          deploy.shipped.push({
            number: pr.number,
            bot: pr.user?.type === 'Bot',
            mergedAt: Date.parse(pr.merged_at as string),
            firstCommitAt: first ? Date.parse(first) : null,
          });
        }
      }
    }
    // What the environment has now, for the next success to move from.
    if (at !== undefined) env.had = at;
    env.running = deploy;
  }

  // Reverts fail the deployment that shipped what they undo, restored by the later one shipping them.
  for (const pr of pulls) {
    const branch = /^revert-(\d+)-/.exec(pr.head.ref);
    const title = /^Revert "(.+)"$/.exec(pr.title);
    const undone = branch
      ? pulls.find((other) => other.number === Number(branch[1]))
      : title
        ? pulls.findLast(
            (other) =>
              other.title === title[1] &&
              Date.parse(other.merged_at as string) <= Date.parse(pr.merged_at as string),
          )
        : undefined;
    const reverted = undone && shippedBy.get(undone.number);
    const restoring = shippedBy.get(pr.number);
    // A deployment shipping both a change and its revert never ran the change alone: not failed by it.
    if (reverted && restoring !== reverted)
      fail(reverted, { kind: 'revert', by: pr.number }, reverted.end, restoring?.end ?? null);
  }

  // Each incident blames one deployment: the last it names before it opened, else the last success within 24 hours before.
  const issues = (
    await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
      owner,
      repo,
      state: 'all',
      per_page: 100,
    })
  )
    .filter((issue) =>
      issue.labels.some((label) =>
        /incident/i.test(typeof label === 'string' ? label : (label.name ?? '')),
      ),
    )
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  for (const issue of issues) {
    const opened = Date.parse(issue.created_at);
    const text = `${issue.title}\n${issue.body ?? ''}`;
    const named = ended.filter(
      (deploy) =>
        new RegExp(`\\b${deploy.id}\\b`).test(text) ||
        (text.match(/\b[0-9a-f]{7,40}\b/gi) ?? []).some((word) =>
          deploy.sha.startsWith(word.toLowerCase()),
        ) ||
        deploy.shipped.some((change) => new RegExp(`#${change.number}\\b`).test(text)),
    );
    const blamed = named.length
      ? (named.filter((deploy) => deploy.end <= opened).at(-1) ?? named[0])
      : ended
          .filter((deploy) => deploy.state === 'success' && deploy.end <= opened)
          .filter((deploy) => opened - deploy.end <= 24 * hour)
          .at(-1);
    if (blamed)
      fail(
        blamed,
        { kind: 'incident', by: issue.number },
        opened,
        issue.closed_at ? Date.parse(issue.closed_at) : null,
      );
  }
  return ended;
}

/** Every repository's history recomputed from the simulator's REST data (first commits from its export). */
export async function recomputedHistories(
  sim: GitHubSimulator,
  source: 'deployments' | 'releases' = 'deployments',
): Promise<{ id: number; history: Ended[] }[]> {
  const octokit = simOctokit(sim);
  return Promise.all(
    exportDataset(sim.dataset).repositories.map(async (repo) => {
      const firstCommit = new Map(
        repo.pullRequests.map((pr) => [pr.number, pr.commits[0]?.authoredDate ?? null]),
      );
      return {
        id: repo.id,
        history: await recomputedHistory(
          octokit,
          repo.fullName,
          (number) => firstCommit.get(number) ?? null,
          source,
        ),
      };
    }),
  );
}

/** Production deployments as they ended: the last success, failure or error status of each. */
async function deploymentsEnded(octokit: Octokit, owner: string, repo: string): Promise<Ended[]> {
  const ended: Ended[] = [];
  for (const deployment of await octokit.paginate('GET /repos/{owner}/{repo}/deployments', {
    owner,
    repo,
    per_page: 100,
  })) {
    if (!/^(prod|production)$/i.test(deployment.environment)) continue;
    const statuses = await octokit.paginate(
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { owner, repo, deployment_id: deployment.id, per_page: 100 },
    );
    const last = statuses
      .filter((status) => ['success', 'failure', 'error'].includes(status.state))
      .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))
      .at(-1);
    if (!last) continue;
    const failed = last.state !== 'success';
    ended.push({
      id: deployment.id,
      environment: deployment.environment.toLowerCase(),
      sha: deployment.sha,
      state: failed ? 'failure' : 'success',
      end: Date.parse(last.created_at),
      move: null,
      shipped: [],
      failedAt: failed ? Date.parse(last.created_at) : null,
      restoredAt: null,
      failedBy: failed ? { kind: 'status', by: null } : null,
    });
  }
  return ended;
}

/** Each published release but a pre-release: a success of its tag's commit when published. */
async function releasesEnded(octokit: Octokit, owner: string, repo: string): Promise<Ended[]> {
  const tags = await octokit.paginate('GET /repos/{owner}/{repo}/tags', {
    owner,
    repo,
    per_page: 100,
  });
  const releases = await octokit.paginate('GET /repos/{owner}/{repo}/releases', {
    owner,
    repo,
    per_page: 100,
  });
  return releases
    .filter((release) => !release.draft && !release.prerelease && release.published_at)
    .map((release) => ({
      id: release.id,
      environment: 'production',
      sha: tags.find((tag) => tag.name === release.tag_name)?.commit.sha ?? '',
      state: 'success' as const,
      end: Date.parse(release.published_at as string),
      move: null,
      shipped: [],
      failedAt: null,
      restoredAt: null,
      failedBy: null,
    }));
}

/** The week's figures (days counted in UTC) from one or more repositories' histories. */
export function recomputedDeliveryWeek(histories: Ended[][], start: number, end: number) {
  // Restores up to 14 days after the week count, in the week the failed deployment ended.
  const restoredInTime = (deploy: Ended) =>
    deploy.restoredAt !== null && deploy.restoredAt < end + 14 * 24 * hour;
  const inWeek = histories.flat().filter((deploy) => deploy.end >= start && deploy.end < end);
  const successes = inWeek.filter((deploy) => deploy.state === 'success');
  const shipped = successes.flatMap((deploy) =>
    deploy.shipped.map((change) => ({ ...change, at: deploy.end })),
  );
  const failed = inWeek.filter((deploy) => deploy.failedAt !== null);
  return {
    deployments: successes.length,
    deploymentDays: new Set(successes.map((deploy) => new Date(deploy.end).getUTCDay())).size,
    leadTime: hours(
      shipped.flatMap((change) => (change.firstCommitAt ? [change.at - change.firstCommitAt] : [])),
    ),
    deployPhase: hours(shipped.map((change) => change.at - change.mergedAt)),
    changeFailure:
      inWeek.length === 0
        ? null
        : {
            failed: failed.length,
            deployments: inWeek.length,
            rate: Math.round((failed.length / inWeek.length) * 1000) / 1000,
          },
    timeToRestore: hours(
      failed
        .filter(restoredInTime)
        .map((deploy) => (deploy.restoredAt as number) - (deploy.failedAt as number)),
    ),
  };
}
