import { listRepositories } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';
import type { SyncedRepository } from '../sync/checkpoint.ts';
import type { Completeness } from '../sync/completeness.ts';

export interface RepositoryProgress {
  id: number;
  fullName: string;
  active: boolean;
  /** `queued` also while a first backfill's deep phase waits for its turn. */
  status: string;
  mode: string | null;
  /** A first backfill's phase: its recent part (what the latest weeks need), then the rest. */
  phase: 'recent' | 'deep' | null;
  /** Every PR and delivery fact updated since this is stored; null until its recent part is. */
  completeSince: string | null;
  /** While a backfill runs, how far back it goes: `to` null for the full history. */
  backfill: { to: string | null } | null;
  total: number | null;
  completed: number;
  percent: number;
  startedAt: string | null;
  finishedAt: string | null;
  waitingUntil: string | null;
  lastError: string | null;
  /** The last part of GitHub's answers read as absent (refused or not found) during the run. */
  note: string | null;
  githubRequests: number;
  githubPoints: number;
  /** The last completeness check (`sync/completeness.ts`) and, in `summary`, what it found in words. */
  completeness: (Completeness & { summary: string }) | null;
}

/**
 * `598 of 599 pull requests`: stored of what GitHub counts in the window,
 * and what comes of a shortfall. More stored than counted is no shortfall
 * (PRs updated after GitHub counted): the count is shown in full.
 */
export function completenessInWords({ stored, github, state }: Completeness): string {
  const counts = `${Math.min(stored, github)} of ${github} pull requests`;
  if (state === 'short') return `${counts}; the next reconciliation reads them again`;
  if (state === 'still-short') return `${counts}, still short after reading them again`;
  return counts;
}

/**
 * How far a run has got: PRs stored over PRs in scope (all of them for a
 * full-history backfill, the search count of a `days_back` window or of the
 * changes since the last sync). Should GitHub's search not have answered,
 * how much of the window the newest-first walk has covered. 100 only once
 * the run is complete (PRs updated while it runs can outgrow the count).
 */
export function percentDone(repo: SyncedRepository): number {
  if (repo.syncStatus === 'complete') return 100;
  if (repo.syncTotal)
    return Math.min(99, Math.floor((100 * (repo.syncCompleted ?? 0)) / repo.syncTotal));
  if (!repo.syncSince || !repo.syncOldestSeen || !repo.syncRunStartedAt) return 0;
  const start = Date.parse(repo.syncRunStartedAt);
  const covered = start - Date.parse(repo.syncOldestSeen);
  const window = start - Date.parse(repo.syncSince);
  return window > 0 ? Math.max(0, Math.min(99, Math.floor((100 * covered) / window))) : 0;
}

export async function syncProgressView(
  table: TableRef,
  installationId: number,
): Promise<RepositoryProgress[]> {
  const repositories = (await listRepositories(table, installationId)) as SyncedRepository[];
  return repositories.map((repo) => ({
    id: repo.repositoryId,
    fullName: repo.fullName,
    active: repo.active,
    // A parked deep phase: its run is under way, and waits to be let in again.
    status:
      repo.syncPending && repo.syncPhase === 'deep' ? 'queued' : (repo.syncStatus ?? 'queued'),
    mode: repo.syncMode ?? null,
    phase: repo.syncPhase ?? null,
    completeSince: repo.syncCompleteSince ?? null,
    backfill:
      repo.syncMode === 'backfill' && repo.syncStatus !== 'complete' && repo.syncStatus !== 'failed'
        ? { to: repo.syncSince ?? null }
        : null,
    total: repo.syncTotal ?? null,
    completed: repo.syncCompleted ?? 0,
    percent: percentDone(repo),
    startedAt: repo.syncRunStartedAt ?? null,
    finishedAt: repo.syncFinishedAt ?? null,
    waitingUntil: repo.syncWaitUntil ?? null,
    lastError: repo.syncLastError ?? null,
    note: repo.syncNote ?? null,
    githubRequests: repo.syncRequests ?? 0,
    githubPoints: repo.syncPoints ?? 0,
    completeness: repo.completeness
      ? { ...repo.completeness, summary: completenessInWords(repo.completeness) }
      : null,
  }));
}
