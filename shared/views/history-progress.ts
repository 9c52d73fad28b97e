import type { RepositoryProgress } from './sync-progress-view.ts';

/** How far back an installation's stored history reaches, and how far its backfill has got. */
export interface HistoryProgress {
  /** Every active repository's history is complete since this (the latest of theirs); null until each has its recent part. */
  completeSince: string | null;
  /** While a backfill runs: back to where (`to` null: the full history), and the share of its PRs stored. */
  backfill: { to: string | null; percent: number } | null;
  /** No backfill runs and none is to come: every active repository synced before (or failed). */
  synced: boolean;
}

/** The installation's history from its repositories' progress (`syncProgressView`). */
export function historyProgress(repositories: readonly RepositoryProgress[]): HistoryProgress {
  const active = repositories.filter((repo) => repo.active);
  const since = active.map((repo) => repo.completeSince);
  const completeSince =
    active.length > 0 && since.every((at): at is string => at !== null)
      ? new Date(Math.max(...since.map(Date.parse))).toISOString()
      : null;
  const backfilling = active.filter((repo) => repo.backfill);
  if (backfilling.length === 0) {
    // Synced before completeness was recorded, or only incremental runs now.
    const synced =
      active.length > 0 &&
      active.every(
        (repo) => repo.mode === 'incremental' || ['complete', 'failed'].includes(repo.status),
      );
    return { completeSince, backfill: null, synced };
  }
  const windows = backfilling.map((repo) => repo.backfill?.to ?? null);
  const to = windows.every((at): at is string => at !== null)
    ? new Date(Math.min(...windows.map(Date.parse))).toISOString()
    : null;
  // PRs stored of PRs to store, each repository weighed by its size (its PRs in scope, once known).
  let done = 0;
  let scope = 0;
  for (const repo of active) {
    const size = Math.max(repo.total ?? 0, repo.completed);
    scope += size;
    done += repo.status === 'complete' ? size : Math.min(repo.completed, size);
  }
  const percent = scope > 0 ? Math.min(99, Math.floor((100 * done) / scope)) : 0;
  return { completeSince, backfill: { to, percent }, synced: false };
}

const dayMonth = (iso: string, timeZone: string, now: Date) => {
  const sameYear = new Date(iso).getUTCFullYear() === now.getUTCFullYear();
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone,
  }).format(new Date(iso));
};

/** In words: `complete since 17 Nov; backfilling to 2 Sep, 40 %`. */
export function describeHistory(
  { completeSince, backfill, synced }: HistoryProgress,
  timeZone: string,
  now = new Date(),
): string {
  const complete = completeSince
    ? `complete since ${dayMonth(completeSince, timeZone, now)}`
    : 'reading the recent weeks first';
  if (!backfill) return completeSince ? complete : synced ? 'synced' : 'not synced yet';
  const to = backfill.to ? `to ${dayMonth(backfill.to, timeZone, now)}` : 'the full history';
  return `${complete}; backfilling ${to}, ${backfill.percent} %`;
}
