import { describe, expect, it } from 'vitest';
import { keys } from '#shared/store/keys.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { storedPullRequests } from '../support/stored-pull-requests.ts';
import { until } from '../support/until.ts';

const installationId = 3030;
const github = useStackWithGitHub(
  {
    seed: 3030,
    installationId,
    organisation: 'busy',
    repositories: [{ name: 'mono', pullRequests: 3 }],
  },
  { daysBack: 0 },
);
const { harness } = github;
const hour = 3_600_000;

describe('a pull request with 5,000 reviews and 2,000 commits', () => {
  it('syncs, keeps its item small, and takes a review webhook with one small write', async () => {
    // GitHub makes a review of each standalone review comment: a long-lived PR collects thousands.
    const { dataset } = github.sim;
    const repo = dataset.repositories[0];
    if (!repo) throw new Error('no repository');
    const giant = dataset.editable(repo, 1);
    if (!giant) throw new Error('no PR #1');
    const people = dataset.members.filter((m) => m.type === 'User' && m.id !== giant.pr.author.id);
    const start = Date.now() - 40 * 24 * hour;
    giant.commits = Array.from({ length: 2000 }, (_, i) => ({
      oid: i.toString(16).padStart(40, '0'),
      author: giant.pr.author,
      authoredDate: new Date(start + i * 10 * 60_000),
      committedDate: new Date(start + i * 10 * 60_000),
      message: `step ${i}`,
    }));
    giant.reviews = Array.from({ length: 5000 }, (_, i) => ({
      id: 9_000_000_000 + i,
      author: people[i % people.length] ?? giant.pr.author,
      state: 'COMMENTED' as const,
      submittedAt: new Date(start + hour + i * 8 * 60_000),
    }));
    giant.pr.updatedAt = new Date();
    dataset.save(giant);

    await github.installAndSync();

    const key = keys.pullRequest(installationId, repo.id, 1);
    const item = await harness.get(key);
    // One item per PR stays far below DynamoDB's 400 KB, whatever the PR's history.
    const itemBytes = Buffer.byteLength(JSON.stringify(item));
    expect(itemBytes).toBeLessThan(100_000);
    expect(item).toMatchObject({ reviewsApart: true, reviews: {}, commitCount: 2000 });
    expect(item?.commitDates).toHaveLength(2000);
    const [synced] = (await storedPullRequests(harness.table, installationId, repo.id)).filter(
      (pr) => pr.number === 1,
    );
    expect(Object.keys(synced?.reviews ?? {})).toHaveLength(5000);

    // A review arrives by webhook: one review item written, the PR's item no bigger.
    const delivery = await github.sim.activity.review('busy/mono', 1, 'APPROVED');
    expect(delivery.statusCode).toBe(200);
    await until(async () => {
      const [after] = (await storedPullRequests(harness.table, installationId, repo.id)).filter(
        (pr) => pr.number === 1,
      );
      return Object.keys(after?.reviews ?? {}).length === 5001;
    });
    const itemAfter = await harness.get(key);
    expect(itemAfter?.reviews).toEqual({});
    expect(Buffer.byteLength(JSON.stringify(itemAfter))).toBeLessThan(itemBytes + 200);
  }, 120_000);
});
