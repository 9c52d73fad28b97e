import { openedByAiBot } from '../metrics/ai-assisted.ts';
import {
  assignedPeople,
  type PullRequestFacts,
  type ReviewFacts,
} from '../metrics/pull-request.ts';
import type { PullRequestPayload, PullRequestReviewEvent } from './webhook-payloads.ts';

type SizeFields = 'additions' | 'deletions' | 'changed_files' | 'commits';

/** A webhook payload carrying a pull request: `pull_request` or `pull_request_review`. */
export interface PullRequestSource {
  installation: { id: number };
  repository: { id: number; full_name: string };
  pull_request: Omit<PullRequestPayload, SizeFields> &
    Partial<Pick<PullRequestPayload, SizeFields>>;
}

export function pullRequestFacts({
  installation,
  repository,
  pull_request: pr,
}: PullRequestSource): PullRequestFacts {
  return {
    installationId: installation.id,
    repositoryId: repository.id,
    repositoryFullName: repository.full_name,
    number: pr.number,
    title: pr.title,
    state: pr.merged_at ? 'merged' : pr.state,
    draft: pr.draft,
    authorId: pr.user.id,
    authorLogin: pr.user.login,
    authorType: pr.user.type,
    createdAt: pr.created_at,
    updatedAt: pr.updated_at,
    closedAt: pr.closed_at,
    mergedAt: pr.merged_at,
    labels: pr.labels.map((label) => label.name),
    baseRef: pr.base.ref,
    headRef: pr.head?.ref,
    // Before the merge it names GitHub's test merge, which no branch ever holds.
    mergeCommitSha: pr.merged_at ? (pr.merge_commit_sha ?? undefined) : null,
    additions: pr.additions,
    deletions: pr.deletions,
    changedFiles: pr.changed_files,
    commitCount: pr.commits,
    // Only an AI agent's PR counts for its assignees' teams: the others' assignees are not kept.
    ...(openedByAiBot({ authorLogin: pr.user.login }) && {
      assignees: assignedPeople(pr.assignees),
    }),
  };
}

export function reviewFacts(review: PullRequestReviewEvent['review']): ReviewFacts {
  return {
    reviewId: review.id,
    reviewerId: review.user.id,
    reviewerLogin: review.user.login,
    reviewerType: review.user.type,
    state: review.state,
    submittedAt: review.submitted_at,
  };
}
