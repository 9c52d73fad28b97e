import type { PullRequestFacts, ReviewFacts } from '../github/pull-request-facts.ts';

/**
 * The GraphQL for one chunk: a page of pull requests, newest update first,
 * each with the facts the metrics need and the first page of its reviews and
 * commits, plus the next review / commit pages of the PRs from earlier
 * chunks that had more (aliased `pr<number>` fields). GitHub charges a
 * nested connection one request per parent whatever its page size, so four
 * nested connections under `first` PRs cost (1 + 4 × first) / 100 points —
 * 2 points for 50 PRs — and the few follow-up connections ride along in the
 * same request for free instead of costing a request and a point of their own.
 */
export const nestedPage = 100;

const actor = '__typename login ... on User { databaseId } ... on Bot { databaseId }';
const reviewFields = `databaseId state submittedAt author { ${actor} }`;
const commitFields = 'commit { authoredDate committedDate message }';

/** Where a PR's reviews and commits continue; a cursor is absent once that connection is read. */
export interface FollowUp {
  number: number;
  reviewsAfter?: string | undefined;
  commitsAfter?: string | undefined;
}

const pullRequestPage = `
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        number title state isDraft createdAt updatedAt mergedAt closedAt
        additions deletions changedFiles baseRefName
        author { ${actor} }
        labels(first: 10) { nodes { name } }
        timelineItems(first: 1, itemTypes: [READY_FOR_REVIEW_EVENT]) { nodes { ... on ReadyForReviewEvent { createdAt } } }
        reviews(first: ${nestedPage}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${reviewFields} } }
        commits(first: ${nestedPage}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${commitFields} } }
      }
    }`;

function followUpField({ number, reviewsAfter, commitsAfter }: FollowUp): string {
  const reviews = reviewsAfter
    ? `reviews(first: ${nestedPage}, after: ${JSON.stringify(reviewsAfter)}) { pageInfo { hasNextPage endCursor } nodes { ${reviewFields} } }`
    : '';
  const commits = commitsAfter
    ? `commits(first: ${nestedPage}, after: ${JSON.stringify(commitsAfter)}) { pageInfo { hasNextPage endCursor } nodes { ${commitFields} } }`
    : '';
  return `pr${number}: pullRequest(number: ${number}) { ${reviews} ${commits} }`;
}

/**
 * A chunk's query: the next page of PRs (unless all pages are read), the
 * pending follow-ups and, on a run's first chunk through a time window, how
 * many PRs the window holds — GitHub's `totalCount` counts all of them, its
 * search can count those updated since a time, in the same request.
 */
export function chunkQuery(
  page: { countWindow: boolean } | null,
  followUps: readonly FollowUp[],
): string {
  const variables = [
    '$owner: String!',
    '$name: String!',
    ...(page ? ['$first: Int!', '$after: String'] : []),
    ...(page?.countWindow ? ['$window: String!'] : []),
  ];
  return `query PullRequestChunk(${variables.join(', ')}) {
  repository(owner: $owner, name: $name) {${page ? pullRequestPage : ''}
    ${followUps.map(followUpField).join('\n    ')}
  }${page?.countWindow ? `\n  windowCount: search(query: $window, type: ISSUE, first: 1) { issueCount }` : ''}
  rateLimit { cost remaining resetAt }
}`;
}

/** The search that counts a repository's PRs updated at or after `since`. */
export function windowSearch(repositoryFullName: string, since: string): string {
  return `repo:${repositoryFullName} is:pr updated:>=${since.replace(/\.\d{3}Z$/, 'Z')}`;
}

export interface GraphqlActor {
  __typename: string;
  login: string;
  databaseId?: number | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ReviewNode {
  databaseId: number;
  state: string;
  submittedAt: string | null;
  author: GraphqlActor | null;
}

export interface CommitNode {
  commit: { authoredDate: string; committedDate: string; message: string };
}

export interface PullRequestNode {
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  baseRefName: string;
  author: GraphqlActor | null;
  labels: { nodes: { name: string }[] };
  timelineItems: { nodes: ({ createdAt?: string } | null)[] };
  reviews: { totalCount: number; pageInfo: PageInfo; nodes: ReviewNode[] };
  commits: { totalCount: number; pageInfo: PageInfo; nodes: CommitNode[] };
}

export interface RateLimitInfo {
  cost: number;
  remaining: number;
  resetAt: string;
}

export interface FollowUpNode {
  reviews?: { pageInfo: PageInfo; nodes: ReviewNode[] };
  commits?: { pageInfo: PageInfo; nodes: CommitNode[] };
}

export interface ChunkResponse {
  repository:
    | ({
        pullRequests?: { totalCount: number; pageInfo: PageInfo; nodes: PullRequestNode[] };
      } & { [alias: `pr${number}`]: FollowUpNode | null })
    | null;
  windowCount?: { issueCount: number } | null;
  rateLimit: RateLimitInfo;
}

/** Deleted accounts come back as null authors; GitHub shows them as "ghost". */
const ghost = { id: 10137, login: 'ghost', type: 'User' };

/** GraphQL names bots without the "[bot]" REST and webhooks use; members are keyed alike. */
export function person(actor: GraphqlActor | null): { id: number; login: string; type: string } {
  if (!actor || actor.databaseId == null) return ghost;
  const bot = actor.__typename === 'Bot';
  return {
    id: actor.databaseId,
    login: bot ? `${actor.login}[bot]` : actor.login,
    type: bot ? 'Bot' : 'User',
  };
}

/** `Co-authored-by: Name <email>` trailers, lower-cased: whether one names an AI assistant is the metrics' call. */
const coAuthorTrailer = /^co-authored-by:\s*(.+?)\s*$/gim;

/** What the metrics need from a page of commits: when each landed and who co-authored. */
export function commitFacts(commits: readonly CommitNode[]): {
  commitDates: string[];
  coAuthors: string[];
} {
  const coAuthors = new Set<string>();
  for (const { commit } of commits) {
    for (const match of commit.message.matchAll(coAuthorTrailer)) {
      coAuthors.add((match[1] ?? '').toLowerCase());
    }
  }
  return {
    commitDates: commits.map(({ commit }) => commit.committedDate),
    coAuthors: [...coAuthors],
  };
}

export function reviewFromNode(node: ReviewNode): ReviewFacts {
  const reviewer = person(node.author);
  return {
    reviewId: node.databaseId,
    reviewerId: reviewer.id,
    reviewerLogin: reviewer.login,
    reviewerType: reviewer.type,
    state: node.state.toLowerCase(),
    submittedAt: node.submittedAt,
  };
}

/** The cursors a PR continues from after these nested pages, or null when both are read to the end. */
export function nextFollowUp(
  number: number,
  reviews: { pageInfo: PageInfo } | undefined,
  commits: { pageInfo: PageInfo } | undefined,
): FollowUp | null {
  const after = (connection: { pageInfo: PageInfo } | undefined) =>
    connection?.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? undefined) : undefined;
  const next = { number, reviewsAfter: after(reviews), commitsAfter: after(commits) };
  return next.reviewsAfter || next.commitsAfter ? next : null;
}

/**
 * A synced pull request as stored. `followUp` marks one whose reviews or
 * commits did not fit the first nested page: it holds the cursors of the
 * pages still to come (see `FollowUp`), and goes once they are merged in.
 */
export type SyncedPullRequest = PullRequestFacts & {
  reviews: Record<string, ReviewFacts>;
  followUp?: string;
};

/** The stored form of a follow-up's cursors: compared, never parsed, by the merge's condition. */
export function followUpMark(followUp: FollowUp | null): string | undefined {
  return followUp
    ? JSON.stringify([followUp.reviewsAfter ?? null, followUp.commitsAfter ?? null])
    : undefined;
}

export function parseFollowUpMark(number: number, mark: string): FollowUp {
  const [reviewsAfter, commitsAfter] = JSON.parse(mark) as [string | null, string | null];
  return {
    number,
    reviewsAfter: reviewsAfter ?? undefined,
    commitsAfter: commitsAfter ?? undefined,
  };
}

/** A pull request from a chunk's page, with its first page of reviews and commits, as stored facts. */
export function syncedFacts(
  repository: { installationId: number; repositoryId: number; repositoryFullName: string },
  node: PullRequestNode,
): SyncedPullRequest {
  const author = person(node.author);
  const ready = node.timelineItems.nodes.find((item) => item?.createdAt)?.createdAt;
  const pullRequest: SyncedPullRequest = {
    ...repository,
    number: node.number,
    title: node.title,
    state: node.state.toLowerCase() as PullRequestFacts['state'],
    draft: node.isDraft,
    authorId: author.id,
    authorLogin: author.login,
    authorType: author.type,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    closedAt: node.closedAt,
    mergedAt: node.mergedAt,
    labels: node.labels.nodes.map((label) => label.name),
    baseRef: node.baseRefName,
    additions: node.additions,
    deletions: node.deletions,
    changedFiles: node.changedFiles,
    commitCount: node.commits.totalCount,
    // Never a draft: ready when opened. Still a draft: not ready yet.
    readyAt: node.isDraft ? null : (ready ?? node.createdAt),
    // Commits come oldest first, so the first page holds the first commit.
    firstCommitAt: node.commits.nodes[0]?.commit.authoredDate ?? null,
    ...commitFacts(node.commits.nodes),
    reviews: Object.fromEntries(
      node.reviews.nodes.map((review) => [String(review.databaseId), reviewFromNode(review)]),
    ),
  };
  const mark = followUpMark(nextFollowUp(node.number, node.reviews, node.commits));
  if (mark) pullRequest.followUp = mark;
  return pullRequest;
}
