import { describe, expect, it } from 'vitest';
import type { DeliveryResponse, ReleaseNode } from '#shared/sync/chunk-response.ts';
import { readDeliveryPage, startDelivery } from '#shared/sync/delivery-stream.ts';

const repository = { installationId: 1, repositoryId: 10, repositoryFullName: 'acme/api' };
const more = (endCursor: string) => ({ hasNextPage: true, endCursor });
const last = { hasNextPage: false, endCursor: null };

function release(id: number, createdAt: string, published: Partial<ReleaseNode> = {}): ReleaseNode {
  return {
    databaseId: id,
    tagName: `v1.${id}.0`,
    isDraft: false,
    isPrerelease: false,
    createdAt,
    publishedAt: createdAt,
    updatedAt: createdAt,
    tagCommit: { oid: `${id}`.repeat(40).slice(0, 40) },
    author: { login: 'mona' },
    ...published,
  };
}

function deployment(id: number, createdAt: string) {
  return {
    databaseId: id,
    environment: 'production',
    commitOid: `${id}`.repeat(40).slice(0, 40),
    createdAt,
    ref: { name: 'main' },
    creator: { login: 'github-actions' },
    latestStatus: null,
    statuses: { nodes: [] },
  };
}

/** The default branch's first page, from a head with `total` ancestors: `[oid, committed]`, newest first, more to come. */
function branchHead(total: number, commits: [string, string][]) {
  return {
    target: {
      oid: commits[0]?.[0],
      ancestry: { totalCount: total },
      history: {
        pageInfo: more('h2'),
        nodes: commits.map(([oid, committedDate]) => ({ oid, committedDate })),
      },
    },
  };
}

describe('the delivery stream', () => {
  it('starts a day before the run: a status that came late still finds its deployment', () => {
    expect(startDelivery('2026-11-20T12:00:00.000Z')).toEqual({
      since: '2026-11-19T12:00:00.000Z',
      deployments: { after: null },
      releases: { after: null },
      history: { after: null },
      incidents: { after: null },
      deploymentsRead: 0,
    });
    expect(startDelivery(null).since).toBeNull();
  });

  it('places each commit by the count of its ancestors, from the head the run began at', () => {
    // The head has 250 ancestors, itself included: it is the 250th commit; the page goes back two.
    const first = readDeliveryPage(repository, startDelivery(null), {
      defaultBranchRef: branchHead(250, [
        ['c250', '2026-11-20T10:00:00Z'],
        ['c249', '2026-11-20T09:00:00Z'],
      ]),
    });
    expect(first.branch.map((commit) => [commit.position, commit.sha])).toEqual([
      [250, 'c250'],
      [249, 'c249'],
    ]);
    // The next page is read from the same head, wherever the branch has moved since.
    expect(first.next?.history).toEqual({ head: 'c250', total: 250, read: 2, after: 'h2' });

    const second = readDeliveryPage(repository, first.next ?? startDelivery(null), {
      branchHead: {
        history: {
          pageInfo: last,
          nodes: [{ oid: 'c248', committedDate: '2026-11-20T08:00:00Z' }],
        },
      },
    });
    expect(second.branch).toEqual([
      { position: 248, sha: 'c248', committedAt: '2026-11-20T08:00:00Z' },
    ]);
    expect(second.next).toBeNull();
  });

  it('reads deployments down to where the run starts, keeping none older', () => {
    const start = startDelivery('2026-11-20T00:00:00.000Z');
    const response: DeliveryResponse = {
      deployments: {
        pageInfo: more('d2'),
        // Newest first; the third is older than the day of lookback (from 19 Nov 00:00).
        nodes: [
          deployment(3, '2026-11-20T10:00:00Z'),
          deployment(2, '2026-11-19T10:00:00Z'),
          deployment(1, '2026-11-18T10:00:00Z'),
        ],
      },
    };

    const page = readDeliveryPage(
      repository,
      { ...start, history: undefined, incidents: undefined },
      response,
    );

    expect(page.deployments.map((d) => d.deploymentId)).toEqual([3, 2]);
    // The page crossed the edge: the older pages are not asked for.
    expect(page.next).toBeNull();
  });

  it("says how far back every connection still continuing is read: the latest of their pages' oldest", () => {
    const page = readDeliveryPage(
      repository,
      { since: null, deployments: { after: null }, history: { after: null }, deploymentsRead: 0 },
      {
        deployments: {
          pageInfo: more('d2'),
          nodes: [deployment(2, '2026-11-19T10:00:00Z'), deployment(1, '2026-10-01T10:00:00Z')],
        },
        defaultBranchRef: branchHead(9, [
          ['c9', '2026-11-20T10:00:00Z'],
          ['c8', '2026-11-02T09:00:00Z'],
        ]),
      },
    );
    // Deployments reach back to 1 Oct, the branch only to 2 Nov: everything since 2 Nov is read.
    expect(page.readBackTo).toBe('2026-11-02T09:00:00.000Z');

    const done = readDeliveryPage(
      repository,
      { since: null, deployments: { after: 'd2' }, deploymentsRead: 2 },
      { deployments: { pageInfo: last, nodes: [deployment(0, '2026-09-01T10:00:00Z')] } },
    );
    expect(done.readBackTo).toBeNull();
  });

  it('reads releases with the commit their tag points at: published ones only, down to where the run starts', () => {
    const start = {
      since: '2026-11-19T00:00:00.000Z',
      releases: { after: null },
      deploymentsRead: 0,
    };
    const page = readDeliveryPage(repository, start, {
      releases: {
        pageInfo: more('r2'),
        // Newest created first: a pre-release, a draft, one whose tag was deleted, one published
        // today from a draft of last month, last month's pre-release edited today (made a
        // release: GitHub keeps its publication time), and last month's release (the previous run's).
        nodes: [
          release(5, '2026-11-20T16:00:00Z', { isPrerelease: true, tagName: 'v1.5.0-rc.1' }),
          release(4, '2026-11-20T15:00:00Z', { isDraft: true, publishedAt: null }),
          release(3, '2026-11-19T16:00:00Z', { tagCommit: null }),
          release(2, '2026-10-20T16:00:00Z', { publishedAt: '2026-11-20T09:00:00Z' }),
          release(1, '2026-10-16T16:00:00Z', { updatedAt: '2026-11-20T11:00:00Z' }),
          release(0, '2026-10-09T16:00:00Z'),
        ],
      },
    });

    expect(page.releases).toEqual([
      {
        ...repository,
        releaseId: 5,
        tagName: 'v1.5.0-rc.1',
        sha: '5'.repeat(40),
        authorLogin: 'mona',
        publishedAt: '2026-11-20T16:00:00Z',
        prerelease: true,
      },
      expect.objectContaining({ releaseId: 2, publishedAt: '2026-11-20T09:00:00Z' }),
      expect.objectContaining({ releaseId: 1, publishedAt: '2026-10-16T16:00:00Z' }),
    ]);
    // The page's oldest was created before the run's start: no older page is asked for.
    expect(page.next).toBeNull();

    // A page wholly after the start goes on to the next.
    const newer = readDeliveryPage(repository, start, {
      releases: { pageInfo: more('r2'), nodes: [release(6, '2026-11-21T16:00:00Z')] },
    });
    expect(newer.next).toEqual({ ...start, releases: { after: 'r2' } });
  });

  it("keeps a deployment's statuses in time order, in webhook case, its latest included once", () => {
    const node = {
      ...deployment(7, '2026-11-20T10:00:00Z'),
      statuses: {
        nodes: [
          { state: 'SUCCESS', createdAt: '2026-11-20T10:08:00Z' },
          { state: 'IN_PROGRESS', createdAt: '2026-11-20T10:01:00Z' },
        ],
      },
      latestStatus: { state: 'SUCCESS', createdAt: '2026-11-20T10:08:00Z' },
    };

    const page = readDeliveryPage(
      repository,
      { since: null, deployments: { after: null }, deploymentsRead: 4 },
      { deployments: { pageInfo: last, nodes: [node] } },
    );

    expect(page.deployments[0]?.statuses).toEqual([
      { deploymentId: 7, state: 'in_progress', createdAt: '2026-11-20T10:01:00Z' },
      { deploymentId: 7, state: 'success', createdAt: '2026-11-20T10:08:00Z' },
    ]);
    expect(page.next).toBeNull();
  });

  it('ends a connection GitHub refused (an installation without the permission) and goes on with the others', () => {
    const page = readDeliveryPage(
      repository,
      { since: null, deployments: { after: null }, incidents: { after: null }, deploymentsRead: 0 },
      {
        deployments: null,
        issues: {
          pageInfo: more('i2'),
          nodes: [
            {
              number: 9,
              title: 'Outage',
              body: 'Checkout down',
              createdAt: '2026-11-20T10:00:00Z',
              updatedAt: '2026-11-20T10:00:00Z',
              closedAt: null,
              labels: { nodes: [{ name: 'Incident' }] },
            },
          ],
        },
      },
    );

    expect(page.deployments).toEqual([]);
    expect(page.issues[0]).toMatchObject({
      number: 9,
      labels: ['Incident'],
      openedAt: '2026-11-20T10:00:00Z',
    });
    expect(page.next).toEqual({ since: null, incidents: { after: 'i2' }, deploymentsRead: 0 });
  });
});
