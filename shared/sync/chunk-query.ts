import type { FollowUp } from './checkpoint.ts';
import { type DeliveryCheckpoint, deliveryFields } from './delivery-stream.ts';

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
// A review's 32-bit `databaseId` is deprecated and fails past 2^31; GitHub's review ids are past it.
const reviewFields = `fullDatabaseId state submittedAt author { ${actor} }`;
const commitFields = 'commit { authoredDate committedDate message }';

const pullRequestPage = `
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        number title state isDraft createdAt updatedAt mergedAt closedAt
        additions deletions changedFiles baseRefName headRefName mergeCommit { oid }
        author { ${actor} }
        labels(first: 10) { nodes { name } }
        timelineItems(first: 1, itemTypes: [READY_FOR_REVIEW_EVENT]) { nodes { ... on ReadyForReviewEvent { createdAt } } }
        reviews(first: ${nestedPage}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${reviewFields} } }
        commits(first: ${nestedPage}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${commitFields} } }
      }
    }`;

// GitHub lets an issue or PR have ten assignees at most: one page reads them all.
const assigneesField = 'assignees(first: 10) { nodes { databaseId login } }';

function followUpField({ number, reviewsAfter, commitsAfter, assignees }: FollowUp): string {
  const reviews = reviewsAfter
    ? `reviews(first: ${nestedPage}, after: ${JSON.stringify(reviewsAfter)}) { pageInfo { hasNextPage endCursor } nodes { ${reviewFields} } }`
    : '';
  const commits = commitsAfter
    ? `commits(first: ${nestedPage}, after: ${JSON.stringify(commitsAfter)}) { pageInfo { hasNextPage endCursor } nodes { ${commitFields} } }`
    : '';
  return `pr${number}: pullRequest(number: ${number}) { ${reviews} ${commits} ${assignees ? assigneesField : ''} }`;
}

/**
 * The counts a run's first chunk may ask GitHub's search for, by alias: how
 * many PRs the run has to do (its progress, `windowCount`), and how many the
 * sync window holds (the completeness check, `checkCount`, `completeness.ts`).
 */
export const countAliases = ['windowCount', 'checkCount'] as const;
export type CountAlias = (typeof countAliases)[number];

/**
 * A chunk's query: the next page of PRs (unless all pages are read), the
 * pending follow-ups, the delivery stream's next pages while it has any and,
 * on a run's first chunk, the counts asked for — GitHub's `totalCount`
 * counts all of a repository's PRs, its search can count those updated
 * since a time, in the same request: one request more of the hundred a
 * point is made of, which a page's point rounds away.
 */
export function chunkQuery(
  page: { counts: readonly CountAlias[] } | null,
  followUps: readonly FollowUp[],
  delivery: DeliveryCheckpoint | null = null,
): string {
  const counts = page?.counts ?? [];
  const variables = [
    '$owner: String!',
    '$name: String!',
    ...(page ? ['$first: Int!', '$after: String'] : []),
    ...counts.map((alias) => `$${alias}: String!`),
  ];
  return `query PullRequestChunk(${variables.join(', ')}) {
  repository(owner: $owner, name: $name) {
    databaseId${page ? pullRequestPage : ''}
    ${followUps.map(followUpField).join('\n    ')}
    ${delivery ? deliveryFields(delivery) : ''}
  }${counts.map((alias) => `\n  ${alias}: search(query: $${alias}, type: ISSUE, first: 1) { issueCount }`).join('')}
  rateLimit { cost remaining resetAt }
}`;
}

/** `since` as GitHub's search reads it: to the second, so what is stored is counted from the same instant. */
export function searchInstant(since: string): string {
  return since.replace(/\.\d{3}Z$/, 'Z');
}

/** The search that counts a repository's PRs updated at or after `since`. */
export function windowSearch(repositoryFullName: string, since: string): string {
  return `repo:${repositoryFullName} is:pr updated:>=${searchInstant(since)}`;
}
