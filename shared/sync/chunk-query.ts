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
 * A chunk's query: the next page of PRs (unless all pages are read), the
 * pending follow-ups, the delivery stream's next pages while it has any and,
 * on a run's first chunk through a time window, how many PRs the window
 * holds — GitHub's `totalCount` counts all of them, its search can count
 * those updated since a time, in the same request.
 */
export function chunkQuery(
  page: { countWindow: boolean } | null,
  followUps: readonly FollowUp[],
  delivery: DeliveryCheckpoint | null = null,
): string {
  const variables = [
    '$owner: String!',
    '$name: String!',
    ...(page ? ['$first: Int!', '$after: String'] : []),
    ...(page?.countWindow ? ['$window: String!'] : []),
  ];
  return `query PullRequestChunk(${variables.join(', ')}) {
  repository(owner: $owner, name: $name) {
    databaseId${page ? pullRequestPage : ''}
    ${followUps.map(followUpField).join('\n    ')}
    ${delivery ? deliveryFields(delivery) : ''}
  }${page?.countWindow ? `\n  windowCount: search(query: $window, type: ISSUE, first: 1) { issueCount }` : ''}
  rateLimit { cost remaining resetAt }
}`;
}

/** The search that counts a repository's PRs updated at or after `since`. */
export function windowSearch(repositoryFullName: string, since: string): string {
  return `repo:${repositoryFullName} is:pr updated:>=${since.replace(/\.\d{3}Z$/, 'Z')}`;
}
