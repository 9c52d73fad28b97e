import { describe, expect, it } from 'vitest';
import {
  copilotAgent,
  Dataset,
  exportDataset,
  type SimPullRequest,
} from '#infra/local/github-sim/dataset.ts';
import { restPullRequest } from '#infra/local/github-sim/rest-objects.ts';

const now = new Date('2026-11-02T12:00:00Z');
const options = {
  seed: 42,
  installationId: 1,
  organisation: 'acme',
  repositories: [{ name: 'big', pullRequests: 2000 }],
  now,
};

function allPullRequests(dataset: Dataset): SimPullRequest[] {
  const repo = dataset.repositories[0];
  if (!repo) throw new Error('no repository');
  return Array.from(
    { length: repo.pullRequestCount },
    (_, i) => dataset.pullRequest(repo, i + 1) as SimPullRequest,
  );
}

describe('Dataset', () => {
  it('is the same for the same seed and different for another', () => {
    const a = exportDataset(
      new Dataset({ ...options, repositories: [{ name: 'r', pullRequests: 20 }] }),
    );
    const b = exportDataset(
      new Dataset({ ...options, repositories: [{ name: 'r', pullRequests: 20 }] }),
    );
    const c = exportDataset(
      new Dataset({ ...options, seed: 43, repositories: [{ name: 'r', pullRequests: 20 }] }),
    );

    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it("has Copilot's coding agent open some people's pull requests, assigned to the person and to Copilot", () => {
    const prs = allPullRequests(new Dataset(options));
    const byAgent = prs.filter((pr) => pr.author.id === copilotAgent.id);

    expect(byAgent.length / prs.length).toBeGreaterThan(0.02);
    for (const pr of byAgent) {
      expect(pr.assignees.map((user) => user.type)).toEqual(['User', 'Bot']);
      expect(pr.assignees[1]).toBe(copilotAgent);
    }
    expect(
      prs.filter((pr) => pr.author.id !== copilotAgent.id).every((pr) => pr.assignees.length === 0),
    ).toBe(true);
    // REST names the agent Copilot, as GitHub does; GraphQL copilot-swe-agent.
    const rest = restPullRequest(byAgent[0] as SimPullRequest, false);
    expect(rest.user).toMatchObject({ login: 'Copilot', type: 'Bot', id: copilotAgent.id });
    expect(rest.assignees.map((user) => user.login)).toEqual([
      byAgent[0]?.assignees[0]?.login,
      'Copilot',
    ]);
    expect(rest.assignee?.login).toBe(byAgent[0]?.assignees[0]?.login);
  });

  it('numbers pull requests in creation order within the history window', () => {
    const prs = allPullRequests(new Dataset(options));
    const created = prs.map((pr) => pr.createdAt.getTime());

    expect(created).toEqual([...created].sort((x, y) => x - y));
    expect(Math.min(...created)).toBeGreaterThanOrEqual(now.getTime() - 26 * 7 * 86_400_000);
    expect(prs.every((pr) => pr.updatedAt <= now && pr.updatedAt >= pr.createdAt)).toBe(true);
  });

  it('has the shapes real teams produce', () => {
    const dataset = new Dataset(options);
    const prs = allPullRequests(dataset);
    const share = (predicate: (pr: SimPullRequest) => boolean) =>
      prs.filter(predicate).length / prs.length;

    expect(share((pr) => pr.state === 'MERGED')).toBeGreaterThan(0.7);
    expect(share((pr) => pr.state === 'CLOSED')).toBeGreaterThan(0.03);
    expect(share((pr) => pr.reviewCount === 0)).toBeGreaterThan(0.08);
    expect(share((pr) => pr.author.type === 'Bot')).toBeGreaterThan(0.05);
    expect(share((pr) => pr.aiCoAuthored)).toBeGreaterThan(0.15);
    expect(prs.some((pr) => pr.reviewCount >= 100)).toBe(true);
    expect(prs.some((pr) => pr.commitCount >= 100)).toBe(true);
    expect(prs.some((pr) => pr.readyAt !== null && pr.readyAt > pr.createdAt)).toBe(true);
    expect(prs.some((pr) => pr.state === 'OPEN')).toBe(true);
  });

  it('has lognormal cycle times: a median of hours and a long tail of days', () => {
    const hours = allPullRequests(new Dataset(options))
      .filter((pr) => pr.mergedAt)
      .map((pr) => ((pr.mergedAt as Date).getTime() - pr.createdAt.getTime()) / 3_600_000)
      .sort((x, y) => x - y);
    const median = hours[Math.floor(hours.length / 2)] as number;
    const p95 = hours[Math.floor(hours.length * 0.95)] as number;

    expect(median).toBeGreaterThan(4);
    expect(median).toBeLessThan(72);
    expect(p95).toBeGreaterThan(3 * median);
  });

  it('puts AI co-author trailers in commit messages of AI-assisted pull requests only', () => {
    const dataset = new Dataset(options);
    const prs = allPullRequests(dataset);
    const trailers = (pr: SimPullRequest) =>
      dataset
        .commits(pr, 0, pr.commitCount)
        .filter((c) => /co-authored-by: (copilot|claude)/i.test(c.message)).length;

    expect(prs.filter((pr) => !pr.aiCoAuthored).every((pr) => trailers(pr) === 0)).toBe(true);
    expect(prs.filter((pr) => pr.aiCoAuthored).some((pr) => trailers(pr) > 0)).toBe(true);
  });

  it('has some reviewed pull requests take commits after their first review, none after their last update', () => {
    const dataset = new Dataset(options);
    let reworked = 0;
    for (const pr of allPullRequests(dataset).slice(0, 400)) {
      const commits = dataset.commits(pr, 0, pr.commitCount);
      const firstReview = dataset.reviews(pr, 0, 1)[0]?.submittedAt.getTime();
      expect(commits).toHaveLength(pr.commitCount);
      for (const commit of commits)
        expect(commit.committedDate.getTime()).toBeLessThanOrEqual(pr.updatedAt.getTime());
      if (firstReview === undefined) {
        expect(commits.every((c) => c.committedDate.getTime() <= pr.createdAt.getTime())).toBe(
          true,
        );
      } else if (commits.some((c) => c.committedDate.getTime() > firstReview)) reworked++;
    }
    expect(reworked).toBeGreaterThan(40);
  });

  it('never has an author review their own pull request, and reviews only after ready', () => {
    const dataset = new Dataset(options);
    for (const pr of allPullRequests(dataset).slice(0, 300)) {
      for (const review of dataset.reviews(pr, 0, pr.reviewCount)) {
        expect(review.author.id).not.toBe(pr.author.id);
        expect(review.submittedAt.getTime()).toBeGreaterThanOrEqual(
          pr.readyAt?.getTime() ?? Number.POSITIVE_INFINITY,
        );
      }
    }
  });

  it('orders a repository by last update without generating a copy per request', () => {
    const dataset = new Dataset(options);
    const repo = dataset.repositories[0];
    if (!repo) throw new Error('no repository');

    const order = dataset.numbersByUpdated(repo);
    const updated = Array.from(
      order,
      (n) => dataset.pullRequest(repo, n)?.updatedAt.getTime() ?? 0,
    );

    expect(order).toHaveLength(2000);
    expect(updated).toEqual([...updated].sort((x, y) => y - x));
    expect(dataset.numbersByUpdated(repo)).toBe(order);
  });
});

describe('Dataset at 100,000 pull requests in one repository', () => {
  it('serves any pull request and the update order without holding the pull requests', () => {
    const dataset = new Dataset({
      ...options,
      repositories: [{ name: 'huge', pullRequests: 100_000 }],
    });
    const repo = dataset.repositories[0];
    if (!repo) throw new Error('no repository');

    const order = dataset.numbersByUpdated(repo);

    expect(dataset.pullRequest(repo, 100_000)?.number).toBe(100_000);
    expect(dataset.pullRequest(repo, 100_001)).toBeUndefined();
    expect(order).toHaveLength(100_000);
    // The order is the only per-repository state: 4 bytes per pull request.
    expect(order.byteLength).toBe(400_000);
  });
});
