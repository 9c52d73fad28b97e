import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { createAppClient } from '#shared/github/app-client.ts';
import type { StoredPullRequest } from '#shared/metrics/pull-request.ts';
import { type FollowUp, parseFollowUpMark } from '#shared/sync/checkpoint.ts';
import { fetchChunk, HeavyQueryError, RepositoryGoneError } from '#shared/sync/fetch-chunk.ts';

let sim: GitHubSimulator;
beforeAll(async () => {
  sim = await startGitHubSimulator({
    dataset: {
      seed: 21,
      installationId: 31,
      organisation: 'chunky',
      // Enough PRs that some have 100+ reviews or commits and need follow-up pages.
      repositories: [{ name: 'mono', pullRequests: 300 }],
    },
  });
});
afterAll(async () => {
  await sim.stop();
});

const repository = { installationId: 31, repositoryId: 300_000, repositoryFullName: 'chunky/mono' };

function client() {
  return createAppClient({
    appId: sim.appId,
    privateKey: sim.privateKey,
    installationId: 31,
    baseUrl: sim.url,
    remainingMs: () => 60_000,
    requestSpacingMs: 0,
  });
}

describe('fetchChunk', () => {
  it('fetches every pull request complete, field by field equal to the dataset', async () => {
    const octokit = client();
    const fetched = new Map<number, StoredPullRequest>();
    let page: { after: string | null; size: number } | null = { after: null, size: 50 };
    let followUps: FollowUp[] = [];
    let points = 0;
    let requests = 0;
    do {
      const chunk = await fetchChunk(octokit.graphql, repository, page, followUps);
      requests++;
      points += chunk.points;
      for (const pr of chunk.pullRequests) fetched.set(pr.number, pr);
      // What the store's merge does, in memory.
      for (const more of chunk.followUpPages) {
        const pr = fetched.get(more.followUp.number);
        if (!pr) throw new Error(`follow-up for unseen PR ${more.followUp.number}`);
        for (const review of more.reviews) pr.reviews[review.reviewId] = review;
        pr.commitDates?.push(...more.commitDates);
        pr.coAuthors?.push(...more.coAuthors);
        if (more.assignees) pr.assignees = more.assignees;
      }
      followUps = [
        ...chunk.followUpPages.flatMap((more) => (more.next ? [more.next] : [])),
        ...chunk.pullRequests.flatMap((pr) =>
          pr.followUp ? [parseFollowUpMark(pr.number, pr.followUp)] : [],
        ),
      ];
      page = page && chunk.hasNextPage ? { after: chunk.endCursor, size: 50 } : null;
    } while (page || followUps.length > 0);

    const expected = exportDataset(sim.dataset).repositories[0]?.pullRequests ?? [];
    expect(fetched.size).toBe(expected.length);
    for (const pr of expected) {
      const got = fetched.get(pr.number);
      expect(got).toMatchObject({
        title: pr.title,
        state: pr.state.toLowerCase(),
        draft: pr.isDraft,
        authorId: pr.author.id,
        authorLogin: pr.author.login,
        createdAt: pr.createdAt,
        updatedAt: pr.updatedAt,
        mergedAt: pr.mergedAt,
        closedAt: pr.closedAt,
        readyAt: pr.readyAt,
        additions: pr.additions,
        deletions: pr.deletions,
        changedFiles: pr.changedFiles,
        commitCount: pr.commitCount,
        firstCommitAt: pr.commits[0]?.authoredDate ?? null,
        labels: pr.labels,
      });
      // An AI agent's PR (GraphQL names Copilot's copilot-swe-agent) has the people assigned to
      // it, read on a follow-up; no other PR's assignees are read.
      expect(got?.assignees).toEqual(
        pr.author.type === 'Bot' && pr.assignees.length > 0
          ? pr.assignees
              .filter((user) => user.type === 'User')
              .map(({ id, login }) => ({ id, login }))
          : undefined,
      );
      expect(Object.keys(got?.reviews ?? {})).toHaveLength(pr.reviews.length);
      expect(got?.commitDates).toEqual(pr.commits.map((c) => c.committedDate));
      expect((got?.coAuthors ?? []).length > 0).toBe(
        pr.commits.some((c) => /^(co-authored-by|made-with):/im.test(c.message)),
      );
    }
    expect(expected.some((pr) => pr.reviews.length > 100 || pr.commits.length > 100)).toBe(true);
    expect(expected.filter((pr) => pr.assignees.length > 0).length).toBeGreaterThan(3);
    // Follow-up pages ride in the next chunk's request: 6 pages of 50, plus the last page's follow-ups.
    expect(requests).toBeLessThanOrEqual(8);
    expect(points).toBeLessThanOrEqual(16);
  });

  it("counts a window's PRs with GitHub's search in the same request, at no extra point", async () => {
    const prs = exportDataset(sim.dataset).repositories[0]?.pullRequests ?? [];
    const updated = prs.map((pr) => Date.parse(pr.updatedAt as string)).sort((a, b) => b - a);
    // A window edge on a PR's own update time: that PR is inside (updated:>=).
    const since = new Date(updated[120] as number).toISOString();
    const plain = await fetchChunk(client().graphql, repository, { after: null, size: 50 }, []);
    const counted = await fetchChunk(
      client().graphql,
      repository,
      { after: null, size: 50, countSince: since },
      [],
    );

    expect(plain.windowCount).toBeNull();
    expect(counted.windowCount).toBe(updated.filter((at) => at >= Date.parse(since)).length);
    expect(counted.windowCount).toBeGreaterThanOrEqual(121);
    expect(counted.points).toBe(plain.points);
    expect(counted.pullRequests).toEqual(plain.pullRequests);
  });

  it("counts the completeness check's window beside the run's own, in the same request, at no extra point", async () => {
    const prs = exportDataset(sim.dataset).repositories[0]?.pullRequests ?? [];
    const updated = prs.map((pr) => Date.parse(pr.updatedAt as string)).sort((a, b) => b - a);
    const changes = new Date(updated[10] as number).toISOString();
    const window = new Date(updated[200] as number).toISOString();
    const plain = await fetchChunk(client().graphql, repository, { after: null, size: 50 }, []);
    const both = await fetchChunk(
      client().graphql,
      repository,
      { after: null, size: 50, countSince: changes, checkSince: window },
      [],
    );

    expect(plain.checkCount).toBeNull();
    expect(both.windowCount).toBe(updated.filter((at) => at >= Date.parse(changes)).length);
    expect(both.checkCount).toBe(updated.filter((at) => at >= Date.parse(window)).length);
    expect(both.checkCount).toBeGreaterThanOrEqual(201);
    expect(both.points).toBe(plain.points);
  });

  it('still returns the page, without the count, when only the search fails', async () => {
    const chunk = await fetchChunk(
      client().graphql,
      repository,
      { after: null, size: 5, countSince: 'not-a-time' },
      [],
    );
    expect(chunk.windowCount).toBeNull();
    expect(chunk.pullRequests).toHaveLength(5);
    const check = await fetchChunk(
      client().graphql,
      repository,
      { after: null, size: 5, checkSince: 'not-a-time' },
      [],
    );
    expect(check.checkCount).toBeNull();
    expect(check.pullRequests).toHaveLength(5);
  });

  it('reports a 502 on a heavy page as HeavyQueryError', async () => {
    // A chunk costs ~211 nodes per PR: pages of 50 and 25 time out, 12 and fewer pass.
    sim.setFaults({ graphqlMaxNodes: 3000 });
    try {
      await expect(
        fetchChunk(client().graphql, repository, { after: null, size: 50 }, []),
      ).rejects.toBeInstanceOf(HeavyQueryError);
      await expect(
        fetchChunk(client().graphql, repository, { after: null, size: 5 }, []),
      ).resolves.toBeDefined();
    } finally {
      sim.setFaults({});
    }
  });

  it('rides out 503s with backed-off retries, and gives up after four', async () => {
    const graphqlCalls = () => sim.requestLog.filter((e) => e.route === 'POST /graphql').length;
    try {
      sim.setFaults({ failNext: 3 });
      let before = graphqlCalls();
      await expect(
        fetchChunk(client().graphql, repository, { after: null, size: 5 }, []),
      ).resolves.toBeDefined();
      expect(graphqlCalls() - before).toBe(4);

      sim.setFaults({ failNext: 100 });
      before = graphqlCalls();
      await expect(
        fetchChunk(client().graphql, repository, { after: null, size: 5 }, []),
      ).rejects.toMatchObject({ status: 503 });
      // One try and four retries, waiting up to 0.5 + 1 + 2 + 4 s in all.
      expect(graphqlCalls() - before).toBe(5);
    } finally {
      sim.setFaults({});
    }
  }, 30_000);

  it('reports a vanished repository as RepositoryGoneError', async () => {
    sim.setFaults({ goneRepositories: ['chunky/mono'] });
    try {
      await expect(
        fetchChunk(client().graphql, repository, { after: null, size: 50 }, []),
      ).rejects.toBeInstanceOf(RepositoryGoneError);
    } finally {
      sim.setFaults({});
    }
  });

  it('asks for less when GitHub answers a timeout as 200 with an untyped error', async () => {
    sim.setFaults({ graphqlMaxNodes: 3000, graphqlTimeoutStatus: 200 });
    try {
      await expect(
        fetchChunk(client().graphql, repository, { after: null, size: 50 }, []),
      ).rejects.toBeInstanceOf(HeavyQueryError);
    } finally {
      sim.setFaults({});
    }
  });

  it('reads a field GitHub refuses the App as absent, keeps the rest of the page, and notes it', async () => {
    sim.setFaults({ forbiddenPullRequestFields: ['labels'] });
    try {
      const chunk = await fetchChunk(client().graphql, repository, { after: null, size: 5 }, []);

      const expected = exportDataset(sim.dataset).repositories[0]?.pullRequests ?? [];
      expect(chunk.pullRequests).toHaveLength(5);
      for (const pr of chunk.pullRequests) {
        const raw = expected.find((e) => e.number === pr.number);
        expect(pr).toMatchObject({ title: raw?.title, labels: [], commitCount: raw?.commitCount });
      }
      expect(chunk.notes).toEqual(
        [0, 1, 2, 3, 4].map(
          (i) =>
            `FORBIDDEN at repository.pullRequests.nodes.${i}.labels: Resource not accessible by integration`,
        ),
      );
    } finally {
      sim.setFaults({});
    }
  });

  it('leaves out a pull request a refused required field voids, and goes on with the page', async () => {
    // GitHub's schema has `commits` non-null: refusing it nulls the whole PR node.
    sim.setFaults({ forbiddenPullRequestFields: ['commits'] });
    try {
      const chunk = await fetchChunk(client().graphql, repository, { after: null, size: 5 }, []);

      expect(chunk.pullRequests).toEqual([]);
      expect(chunk.hasNextPage).toBe(true);
      expect(chunk.notes).toHaveLength(5);
    } finally {
      sim.setFaults({});
    }
  });

  it('drops a follow-up whose pull request no longer resolves, with a note, and reads the others', async () => {
    const pending: FollowUp[] = [];
    let after: string | null = null;
    while (pending.length < 2) {
      const chunk = await fetchChunk(client().graphql, repository, { after, size: 50 }, []);
      // Those with more reviews to read (an AI agent's may have only its assignees).
      for (const pr of chunk.pullRequests) {
        const followUp = pr.followUp ? parseFollowUpMark(pr.number, pr.followUp) : undefined;
        if (followUp?.reviewsAfter) pending.push(followUp);
      }
      if (!chunk.hasNextPage) throw new Error('the dataset has too few PRs with follow-ups');
      after = chunk.endCursor;
    }
    const [vanished, kept] = pending as [FollowUp, FollowUp];
    sim.setFaults({ missingPullRequests: [`chunky/mono#${vanished.number}`] });
    try {
      const next = await fetchChunk(client().graphql, repository, null, [vanished, kept]);

      const pageOf = (number: number) =>
        next.followUpPages.find((p) => p.followUp.number === number);
      expect(pageOf(vanished.number)).toMatchObject({ reviews: [], commitDates: [], next: null });
      expect(pageOf(kept.number)?.reviews.length ?? 0).toBeGreaterThan(0);
      expect(next.notes).toEqual([
        `NOT_FOUND at repository.pr${vanished.number}: Could not resolve to a PullRequest with the number of ${vanished.number}.`,
      ]);
    } finally {
      sim.setFaults({});
    }
  });

  it('refuses to read a repository whose name now resolves to another one', async () => {
    const renamedAway = { ...repository, repositoryId: repository.repositoryId + 1 };
    await expect(
      fetchChunk(client().graphql, renamedAway, { after: null, size: 5 }, []),
    ).rejects.toThrow(/now names another repository/);
  });
});
