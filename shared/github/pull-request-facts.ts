import type { PullRequestPayload, PullRequestReviewEvent } from './webhook-payloads.ts';

/**
 * A pull request as Flowmeter stores it: the facts the weekly metrics need,
 * whichever source (webhook payload or sync) they came from.
 */
export interface PullRequestFacts {
  installationId: number;
  repositoryId: number;
  repositoryFullName: string;
  number: number;
  title: string;
  state: 'open' | 'closed' | 'merged';
  draft: boolean;
  authorId: number;
  authorLogin: string;
  authorType: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  labels: string[];
  baseRef: string;
  /** Size facts; absent when the source payload does not carry them. */
  additions?: number | undefined;
  deletions?: number | undefined;
  changedFiles?: number | undefined;
  commitCount?: number | undefined;
  /** Facts only a sync can know (webhook payloads lack them); absent until one ran. */
  readyAt?: string | null | undefined;
  firstCommitAt?: string | null | undefined;
  /** When each commit was committed, in order (rework counts those after the first review). */
  commitDates?: string[] | undefined;
  /** Distinct `Co-authored-by` trailer values of the commits, lower-cased. */
  coAuthors?: string[] | undefined;
}

export interface ReviewFacts {
  reviewId: number;
  reviewerId: number;
  reviewerLogin: string;
  reviewerType: string;
  /** approved, changes_requested, commented, dismissed, pending */
  state: string;
  submittedAt: string | null;
}

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
    additions: pr.additions,
    deletions: pr.deletions,
    changedFiles: pr.changed_files,
    commitCount: pr.commits,
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
