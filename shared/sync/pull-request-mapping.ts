import { authorshipTrailer, openedByAiBot } from '../metrics/ai-assisted.ts';
import type {
  Assignee,
  PullRequestFacts,
  ReviewFacts,
  StoredPullRequest,
} from '../metrics/pull-request.ts';
import { type FollowUp, followUpMark } from './checkpoint.ts';
import type {
  CommitNode,
  FollowUpNode,
  GraphqlActor,
  PageInfo,
  PullRequestNode,
  ReviewNode,
} from './chunk-response.ts';

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

/** What the metrics need from a page of commits: when each landed and who co-authored. */
export function commitFacts(commits: readonly CommitNode[]): {
  commitDates: string[];
  coAuthors: string[];
} {
  const coAuthors = new Set<string>();
  for (const { commit } of commits) {
    for (const match of commit.message.matchAll(authorshipTrailer)) {
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
    reviewId: Number(node.fullDatabaseId),
    reviewerId: reviewer.id,
    reviewerLogin: reviewer.login,
    reviewerType: reviewer.type,
    state: node.state.toLowerCase(),
    submittedAt: node.submittedAt,
  };
}

/**
 * What a PR has left to read after these nested pages — the cursors its
 * reviews and commits continue from, and its `assignees` if still unread —
 * or null when nothing is.
 */
export function nextFollowUp(
  number: number,
  reviews: { pageInfo: PageInfo } | null | undefined,
  commits: { pageInfo: PageInfo } | null | undefined,
  assignees = false,
): FollowUp | null {
  const after = (connection: { pageInfo: PageInfo } | null | undefined) =>
    connection?.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? undefined) : undefined;
  const next = {
    number,
    reviewsAfter: after(reviews),
    commitsAfter: after(commits),
    ...(assignees ? { assignees } : {}),
  };
  return next.reviewsAfter || next.commitsAfter || assignees ? next : null;
}

/** The people a follow-up found assigned to a PR; undefined when it did not read them (or GitHub refused). */
export function assigneesFrom(node: FollowUpNode): Assignee[] | undefined {
  return node.assignees?.nodes.flatMap((user) =>
    user?.databaseId == null ? [] : [{ id: user.databaseId, login: user.login }],
  );
}

/**
 * A pull request from a chunk's page, with its first page of reviews and
 * commits, as stored facts. A connection GitHub refused reads as absent:
 * no labels or reviews, commit facts unknown (as from a webhook payload).
 */
export function syncedFacts(
  repository: { installationId: number; repositoryId: number; repositoryFullName: string },
  node: PullRequestNode,
): StoredPullRequest {
  const author = person(node.author);
  const ready = node.timelineItems?.nodes.find((item) => item?.createdAt)?.createdAt;
  const { commits } = node;
  const pullRequest: StoredPullRequest = {
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
    labels: node.labels?.nodes.map((label) => label.name) ?? [],
    baseRef: node.baseRefName,
    headRef: node.headRefName,
    mergeCommitSha: node.mergeCommit?.oid ?? null,
    additions: node.additions,
    deletions: node.deletions,
    changedFiles: node.changedFiles,
    // Never a draft: ready when opened. Still a draft: not ready yet.
    readyAt: node.isDraft ? null : (ready ?? node.createdAt),
    ...(commits && {
      commitCount: commits.totalCount,
      // Commits come oldest first, so the first page holds the first commit.
      firstCommitAt: commits.nodes[0]?.commit.authoredDate ?? null,
      ...commitFacts(commits.nodes),
    }),
    reviews: Object.fromEntries(
      (node.reviews?.nodes ?? []).map(reviewFromNode).map((review) => [review.reviewId, review]),
    ),
  };
  // Reviews that continue on follow-up pages are merged as items of their own, so the PR keeps them apart.
  if (node.reviews?.pageInfo.hasNextPage) pullRequest.reviewsApart = true;
  // An AI agent's PR counts for the people assigned to it: read on a follow-up (checkpoint.ts).
  const mark = followUpMark(
    nextFollowUp(node.number, node.reviews, node.commits, openedByAiBot(pullRequest)),
  );
  if (mark) pullRequest.followUp = mark;
  return pullRequest;
}
