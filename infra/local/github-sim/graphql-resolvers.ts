import { arrayList, type ConnectionArgs, connection } from './connection.ts';
import {
  type Dataset,
  mergeCommitSha,
  type SimPullRequest,
  type SimRepository,
  type SimUser,
} from './dataset.ts';
import type { FaultOptions } from './faults.ts';
import { deliveryFields } from './graphql-delivery.ts';

/**
 * The GraphQL objects Flowmeter reads, built lazily from the dataset. Fields
 * that are functions are resolved by graphql-js only when a query selects
 * them, so a query pays only for what it asks.
 */
type PullRequestState = SimPullRequest['state'];

interface PullRequestsArgs extends ConnectionArgs {
  states?: PullRequestState[] | null;
  orderBy?: { field: 'CREATED_AT' | 'UPDATED_AT'; direction: 'ASC' | 'DESC' } | null;
}

export class NotFoundError extends Error {
  readonly type = 'NOT_FOUND';
}

/** A field the App's permissions do not reach: null in the data, this in `errors`. */
export class ForbiddenError extends Error {
  readonly type = 'FORBIDDEN';
  constructor() {
    super('Resource not accessible by integration');
  }
}

function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}:${id}`).toString('base64');
}

export function actor(user: SimUser) {
  const bot = user.type === 'Bot';
  return {
    __typename: bot ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User',
    id: nodeId(bot ? 'Bot' : 'User', user.id),
    databaseId: user.id,
    // GraphQL names bots without the "[bot]" suffix REST uses.
    login: bot ? user.login.replace(/\[bot\]$/, '') : user.login,
    url: `https://github.com/${bot ? `apps/${user.login.replace(/\[bot\]$/, '')}` : user.login}`,
  };
}

export function rootValue(
  dataset: Dataset,
  visibleRepositories: (repo: SimRepository) => boolean,
  faults: Readonly<FaultOptions> = {},
) {
  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = dataset.repository(`${owner}/${name}`);
      if (!repo || !visibleRepositories(repo)) {
        throw new NotFoundError(
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        );
      }
      return repository(dataset, repo, faults);
    },
    search: (args: ConnectionArgs & { query: string; type: string }) =>
      search(dataset, visibleRepositories, args),
  };
}

/**
 * The one search Flowmeter makes: how many of a repository's PRs were updated
 * since a time (`repo:o/r is:pr updated:>=2026-08-25T10:00:00Z`), for the
 * sync's progress. Other queries are refused rather than answered wrongly.
 */
function search(
  dataset: Dataset,
  visibleRepositories: (repo: SimRepository) => boolean,
  args: ConnectionArgs & { query: string; type: string },
) {
  const terms = new Map(
    args.query
      .trim()
      .split(/\s+/)
      .map((term) => {
        const colon = term.indexOf(':');
        return [term.slice(0, colon), term.slice(colon + 1)] as const;
      }),
  );
  const repo = dataset.repository(terms.get('repo') ?? '');
  const since = Date.parse((terms.get('updated') ?? '').replace(/^>=/, ''));
  if (
    args.type !== 'ISSUE' ||
    terms.size !== 3 ||
    terms.get('is') !== 'pr' ||
    !terms.get('updated')?.startsWith('>=') ||
    Number.isNaN(since)
  ) {
    throw new Error(
      `the simulator's search answers only "repo:OWNER/NAME is:pr updated:>=TIME" (type ISSUE), not "${args.query}"`,
    );
  }
  const issueCount = repo && visibleRepositories(repo) ? dataset.countUpdatedSince(repo, since) : 0;
  // Only the count is served; the matching items are not listed.
  return { issueCount, ...connection({ length: () => 0, slice: () => [] }, args) };
}

function repository(dataset: Dataset, repo: SimRepository, faults: Readonly<FaultOptions>) {
  const served = (pr: SimPullRequest) =>
    refused(pullRequest(dataset, pr), faults.forbiddenPullRequestFields);
  const listed = (pr: SimPullRequest) =>
    (faults.voidedInPages ?? []).includes(`${repo.fullName}#${pr.number}`)
      ? refused(served(pr), ['commits'])
      : served(pr);
  return {
    __typename: 'Repository',
    id: nodeId('Repository', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.fullName,
    isPrivate: repo.private,
    owner: actor(repo.owner),
    createdAt: repo.createdAt.toISOString(),
    pullRequest: ({ number }: { number: number }) => {
      const pr = dataset.pullRequest(repo, number);
      if (!pr || (faults.missingPullRequests ?? []).includes(`${repo.fullName}#${number}`))
        throw new NotFoundError(`Could not resolve to a PullRequest with the number of ${number}.`);
      return served(pr);
    },
    pullRequests: (args: PullRequestsArgs) =>
      connection(pullRequestList(dataset, repo, args, listed), args),
    ...deliveryFields(dataset, repo, actor),
  };
}

/** A pull request with the fields the App may not read replaced by refusals. */
function refused<T extends object>(
  pr: T,
  forbidden: FaultOptions['forbiddenPullRequestFields'] = [],
): T {
  if (forbidden.length === 0) return pr;
  const refuse = () => {
    throw new ForbiddenError();
  };
  return { ...pr, ...Object.fromEntries(forbidden.map((field) => [field, refuse])) };
}

function pullRequestList(
  dataset: Dataset,
  repo: SimRepository,
  args: PullRequestsArgs,
  served: (pr: SimPullRequest) => object,
) {
  const total = repo.pullRequestCount;
  const byUpdated = args.orderBy?.field === 'UPDATED_AT';
  const descending = args.orderBy?.direction === 'DESC';
  // Numbers follow creation order, so CREATED_AT needs no index.
  const numberAt = (position: number): number => {
    const index = descending ? total - 1 - position : position;
    if (!byUpdated) return index + 1;
    const order = dataset.numbersByUpdated(repo);
    return order[descending ? position : total - 1 - position] as number;
  };
  const states = args.states?.length ? new Set(args.states) : undefined;
  if (!states) {
    return {
      length: () => total,
      slice: (offset: number, limit: number) =>
        Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) =>
          served(dataset.pullRequest(repo, numberAt(offset + i)) as SimPullRequest),
        ),
    };
  }
  // Filtering by state means knowing every PR's state: done once per query, only when asked.
  let matching: number[] | undefined;
  const filtered = () => {
    matching ??= Array.from({ length: total }, (_, i) => numberAt(i)).filter((number) =>
      states.has((dataset.pullRequest(repo, number) as SimPullRequest).state),
    );
    return matching;
  };
  return {
    length: () => filtered().length,
    slice: (offset: number, limit: number) =>
      filtered()
        .slice(offset, offset + limit)
        .map((number) => served(dataset.pullRequest(repo, number) as SimPullRequest)),
  };
}

function pullRequest(dataset: Dataset, pr: SimPullRequest) {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    __typename: 'PullRequest',
    id: nodeId('PullRequest', pr.id),
    databaseId: pr.id,
    number: pr.number,
    title: pr.title,
    url: `https://github.com/${pr.repository.fullName}/pull/${pr.number}`,
    state: pr.state,
    isDraft: pr.isDraft,
    merged: pr.state === 'MERGED',
    createdAt: iso(pr.createdAt),
    updatedAt: iso(pr.updatedAt),
    mergedAt: iso(pr.mergedAt),
    closedAt: iso(pr.closedAt),
    additions: pr.additions,
    deletions: pr.deletions,
    changedFiles: pr.changedFiles,
    baseRefName: 'main',
    headRefName: pr.headRefName,
    mergeCommit: pr.mergedAt ? { __typename: 'Commit', oid: mergeCommitSha(pr) } : null,
    author: actor(pr.author),
    // A UserConnection: the agent that assigned itself is no User, and not listed.
    assignees: (args: ConnectionArgs) =>
      connection(arrayList(pr.assignees.filter((user) => user.type === 'User').map(actor)), args),
    labels: (args: ConnectionArgs) =>
      connection(
        arrayList(pr.labels.map((name) => ({ __typename: 'Label', name, color: 'ededed' }))),
        args,
      ),
    reviews: (args: ConnectionArgs) =>
      connection(
        {
          length: () => pr.reviewCount,
          slice: (offset, limit) =>
            dataset.reviews(pr, offset, limit).map((review) => ({
              __typename: 'PullRequestReview',
              id: nodeId('PullRequestReview', review.id),
              databaseId: review.id,
              fullDatabaseId: String(review.id),
              state: review.state,
              submittedAt: iso(review.submittedAt),
              createdAt: iso(review.submittedAt),
              author: actor(review.author),
            })),
        },
        args,
      ),
    commits: (args: ConnectionArgs) =>
      connection(
        {
          length: () => pr.commitCount,
          slice: (offset, limit) =>
            dataset.commits(pr, offset, limit).map((commit) => ({
              __typename: 'PullRequestCommit',
              id: nodeId('PullRequestCommit', Number.parseInt(commit.oid.slice(0, 8), 16)),
              commit: {
                __typename: 'Commit',
                oid: commit.oid,
                message: commit.message,
                messageHeadline: commit.message.split('\n')[0],
                authoredDate: iso(commit.authoredDate),
                committedDate: iso(commit.committedDate),
                author: {
                  name: commit.author.login,
                  email: `${commit.author.id}+${commit.author.login}@users.noreply.github.com`,
                  date: iso(commit.authoredDate),
                  user: commit.author.type === 'Bot' ? null : actor(commit.author),
                },
              },
            })),
        },
        args,
      ),
    timelineItems: (args: ConnectionArgs & { itemTypes?: string[] | null }) => {
      const readyEvents =
        pr.readyAt &&
        pr.readyAt > pr.createdAt &&
        (args.itemTypes ?? []).includes('READY_FOR_REVIEW_EVENT')
          ? [
              {
                __typename: 'ReadyForReviewEvent',
                createdAt: iso(pr.readyAt),
                actor: actor(pr.author),
              },
            ]
          : [];
      return connection(arrayList(readyEvents), args);
    },
  };
}
