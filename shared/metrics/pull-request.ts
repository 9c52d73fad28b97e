/**
 * A pull request as Flowmeter stores it and the metrics read it, whichever
 * source (webhook payload or sync) its facts came from. The one definition:
 * the webhook and GraphQL mappings produce it, the store keeps it, the
 * metrics compute from it.
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
  /** The branch it was opened from (GitHub's revert button names it `revert-<n>-…`). */
  headRef?: string | undefined;
  /** The commit its merge put on the base branch (merge, squash or last rebased commit); null until merged. */
  mergeCommitSha?: string | null | undefined;
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
  /** Distinct values of the commits' authorship trailers (`Co-authored-by`, `Made-with`, …), lower-cased. */
  coAuthors?: string[] | undefined;
  /**
   * The people an AI agent's pull request is assigned to: GitHub assigns the
   * agent's PR to whoever asked for it, and it counts for their teams
   * (team-attribution.ts). Kept for AI agents' PRs only, ids and logins;
   * absent until known (a sync reads them on a follow-up).
   */
  assignees?: Assignee[] | undefined;
}

/** A person a pull request is assigned to. */
export interface Assignee {
  id: number;
  login: string;
}

/** The people among a PR's assignees: bots — the agent assigns itself too — ask nothing of anyone. */
export function assignedPeople(
  users: readonly { id: number; login: string; type: string }[],
): Assignee[] {
  return users.filter((user) => user.type !== 'Bot').map(({ id, login }) => ({ id, login }));
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

/**
 * A stored pull request: its facts with its reviews folded in (keyed by
 * review id), so a rollup reads one item per PR. `followUp` marks one whose
 * reviews or commits did not fit the sync's first nested page: it holds the
 * cursors of the pages still to come (`shared/sync/checkpoint.ts`), and goes
 * once they are merged in.
 */
export interface StoredPullRequest extends PullRequestFacts {
  reviews: Record<string, ReviewFacts>;
  followUp?: string;
  /** Its reviews are too many for one item and kept as items of their own (`shared/store/pull-request-reviews.ts`). */
  reviewsApart?: boolean;
}

/**
 * When a PR entered review: ready for review (drafts count from then), or
 * created if it never was a draft. Null while it is still a draft.
 */
export function openedAt(pr: PullRequestFacts): string | null {
  if (pr.readyAt !== undefined) return pr.readyAt;
  return pr.draft ? null : pr.createdAt;
}
