/**
 * Completeness per repository: the PRs stored against the PRs GitHub says
 * the sync window holds, checked at the end of every run that reads the
 * window whole (a backfill, a re-sync) and of the daily reconciliation's.
 *
 * GitHub's count is read in the run's first chunk, never by a request of
 * its own. GitHub charges a query the sum of its connections' requests over
 * a hundred, rounded, and one point at the least; a `search(first: 1)` is
 * one request. Inside a chunk (two points for a page of 50 PRs with their
 * reviews and commits: 201 requests) it adds one request and no point; as a
 * query of its own it would cost the minimum point, a day's point for every
 * repository. For a window, `search(type: ISSUE, query: "repo:o/r is:pr
 * updated:>=T") { issueCount }` counts the PRs updated since its start — the
 * search the sync already makes for its progress; `pullRequests.totalCount`
 * counts the whole history only, so it is the count for `days_back = 0`
 * (and comes with every page). Counting at the first chunk also means every
 * PR counted was updated before the run began, which the run reads: a PR
 * that arrives while it runs can add to what is stored, never to GitHub's
 * count. GitHub's search index can lag behind a change (GitHub's community
 * answers speak of hours, a day at worst), which makes its count smaller,
 * never larger; so a shortfall is re-read by the next reconciliation before
 * it is alarmed on.
 */

/**
 * `matches`: nothing missing. `short`: PRs missing, to be read again by the
 * next reconciliation. `still-short`: PRs missing after the window was read
 * again: shown, and alarmed on, until a check matches.
 */
export type CompletenessState = 'matches' | 'short' | 'still-short';

/** The last check, kept on the repository item across runs. */
export interface Completeness {
  /** PRs stored that were updated since `since`. */
  stored: number;
  /** PRs GitHub counted updated since `since`, at the start of the run that checked. */
  github: number;
  /** The window's start, to the second; null for the whole history. */
  since: string | null;
  checkedAt: string;
  state: CompletenessState;
}

/** What a run's end read: the two counts, and whether the run read the whole window again. */
export interface CompletenessReading {
  stored: number;
  github: number;
  since: string | null;
  checkedAt: string;
  /** A backfill or a re-sync: every PR of the window was asked for again. */
  readWholeWindow: boolean;
}

/**
 * The check's result after `previous`: a shortfall that a run reading the
 * whole window again could not make up stays `still-short`, as it does
 * through the daily incremental runs after, until a check matches.
 */
export function completenessAfter(
  previous: Completeness | null | undefined,
  { readWholeWindow, ...counts }: CompletenessReading,
): Completeness {
  const missing = counts.stored < counts.github;
  const wasShort = previous?.state === 'short' || previous?.state === 'still-short';
  const state: CompletenessState = !missing
    ? 'matches'
    : previous?.state === 'still-short' || (wasShort && readWholeWindow)
      ? 'still-short'
      : 'short';
  return { ...counts, state };
}

/** A repository the next reconciliation reads again: short, not yet re-read. */
export function needsResync(completeness: Completeness | null | undefined): boolean {
  return completeness?.state === 'short';
}
