import type { ReviewFacts, StoredPullRequest } from '#shared/metrics/pull-request.ts';

/** Pull requests for hand-worked metric tests: one repository, a few people and bots. */
export const people = {
  alice: { id: 1, login: 'alice', type: 'User' },
  bob: { id: 2, login: 'bob', type: 'User' },
  carol: { id: 3, login: 'carol', type: 'User' },
  dave: { id: 4, login: 'dave', type: 'User' },
  erin: { id: 5, login: 'erin', type: 'User' },
  dependabot: { id: 49_699_333, login: 'dependabot[bot]', type: 'Bot' },
  copilotAgent: { id: 198_982_749, login: 'copilot-swe-agent[bot]', type: 'Bot' },
  reviewBot: { id: 7, login: 'coderabbitai[bot]', type: 'Bot' },
};
type Person = (typeof people)[keyof typeof people];

let nextReview = 1;
export function review(by: Person, submittedAt: string, state = 'approved'): ReviewFacts {
  return {
    reviewId: nextReview++,
    reviewerId: by.id,
    reviewerLogin: by.login,
    reviewerType: by.type,
    state,
    submittedAt,
  };
}

let nextNumber = 1;
export function pr(
  author: Person,
  facts: Partial<StoredPullRequest> & { createdAt: string },
  reviews: ReviewFacts[] = [],
): StoredPullRequest {
  const merged = facts.mergedAt ?? null;
  return {
    installationId: 1,
    repositoryId: 10,
    repositoryFullName: 'acme/app',
    number: nextNumber++,
    title: 'change',
    state: merged ? 'merged' : facts.closedAt ? 'closed' : 'open',
    draft: false,
    authorId: author.id,
    authorLogin: author.login,
    authorType: author.type,
    updatedAt: facts.createdAt,
    closedAt: merged,
    mergedAt: merged,
    labels: [],
    baseRef: 'main',
    additions: 10,
    deletions: 0,
    commitDates: [],
    coAuthors: [],
    readyAt: facts.draft ? null : facts.createdAt,
    firstCommitAt: null,
    ...facts,
    reviews: Object.fromEntries(reviews.map((r) => [r.reviewId, r])),
  };
}
