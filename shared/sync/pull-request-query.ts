import type { PullRequestFacts, ReviewFacts } from '../github/pull-request-facts.ts';

/**
 * The GraphQL that fetches one chunk: a page of pull requests, newest update
 * first, each with the facts the metrics need and the first page of its
 * reviews and commits. GitHub charges a nested connection one request per
 * parent whatever its page size, so four nested connections under `first`
 * PRs cost (1 + 4 × first) / 100 points — 2 points for 50 PRs — and full
 * nested pages of 100 leave follow-ups to the rare PR with more.
 */
export const nestedPage = 100;

const actor = '__typename login ... on User { databaseId } ... on Bot { databaseId }';
const reviewFields = `databaseId state submittedAt author { ${actor} }`;
const commitFields = 'commit { authoredDate message }';

export const chunkQuery = `
query PullRequestChunk($owner: String!, $name: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
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
    }
  }
  rateLimit { cost remaining resetAt }
}`;

/** Follow-up pages for the PRs whose reviews or commits did not fit: one query for all of them. */
export function followUpQuery(
  needs: readonly {
    number: number;
    reviewsAfter?: string | undefined;
    commitsAfter?: string | undefined;
  }[],
): string {
  const fields = needs.map(({ number, reviewsAfter, commitsAfter }) => {
    const reviews = reviewsAfter
      ? `reviews(first: 100, after: ${JSON.stringify(reviewsAfter)}) { pageInfo { hasNextPage endCursor } nodes { ${reviewFields} } }`
      : '';
    const commits = commitsAfter
      ? `commits(first: 100, after: ${JSON.stringify(commitsAfter)}) { pageInfo { hasNextPage endCursor } nodes { ${commitFields} } }`
      : '';
    return `pr${number}: pullRequest(number: ${number}) { ${reviews} ${commits} }`;
  });
  return `query PullRequestFollowUp($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { ${fields.join('\n')} }
  rateLimit { cost remaining resetAt }
}`;
}

export interface GraphqlActor {
  __typename: string;
  login: string;
  databaseId?: number | null;
}

interface PageInfo {
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
  commit: { authoredDate: string; message: string };
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

export interface ChunkResponse {
  repository: {
    pullRequests: { totalCount: number; pageInfo: PageInfo; nodes: PullRequestNode[] };
  } | null;
  rateLimit: RateLimitInfo;
}

export interface FollowUpResponse {
  repository: Record<
    string,
    {
      reviews?: { pageInfo: PageInfo; nodes: ReviewNode[] };
      commits?: { pageInfo: PageInfo; nodes: CommitNode[] };
    } | null
  >;
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

const aiTrailer =
  /^co-authored-by:.*\b(copilot|claude|chatgpt|openai|gemini|cursor|codeium|devin)\b/im;

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

/** A fully fetched pull request (all review and commit pages) as stored facts. */
export function syncedFacts(
  repository: { installationId: number; repositoryId: number; repositoryFullName: string },
  node: PullRequestNode,
  reviews: readonly ReviewNode[],
  commits: readonly CommitNode[],
): PullRequestFacts & { reviews: Record<string, ReviewFacts> } {
  const author = person(node.author);
  const ready = node.timelineItems.nodes.find((item) => item?.createdAt)?.createdAt;
  return {
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
    firstCommitAt: commits[0]?.commit.authoredDate ?? null,
    aiAssisted: commits.some((commit) => aiTrailer.test(commit.commit.message)),
    reviews: Object.fromEntries(
      reviews.map((review) => [String(review.databaseId), reviewFromNode(review)]),
    ),
  };
}
