import type { SyncedRepository } from '../sync/checkpoint.ts';
import { escapeHtml, formatDuration } from '../views/format.ts';
import {
  type Column,
  type Email,
  htmlDocument,
  htmlTable,
  textDocument,
  textTable,
} from './email-parts.ts';

export interface SyncSummary {
  accountLogin: string;
  repositories: {
    fullName: string;
    status: 'complete' | 'failed';
    pullRequests: number;
    error: string | null;
  }[];
  pullRequests: number;
  startedAt: string;
  finishedAt: string;
}

const running = new Set(['queued', 'syncing', 'waiting']);

/**
 * The installation's first backfill, summed up once every active repository
 * has finished it (complete or failed); 'in-progress' while any is still
 * syncing or never started.
 */
export function summariseInitialSync(
  accountLogin: string,
  repositories: readonly SyncedRepository[],
): SyncSummary | 'in-progress' {
  const active = repositories.filter((repo) => repo.active);
  if (
    active.length === 0 ||
    active.some((repo) => !repo.syncStatus || running.has(repo.syncStatus) || !repo.syncFinishedAt)
  )
    return 'in-progress';
  const times = (pick: (repo: SyncedRepository) => string | null | undefined) =>
    active
      .map(pick)
      .filter((at): at is string => Boolean(at))
      .sort();
  return {
    accountLogin,
    repositories: active
      .map((repo) => ({
        fullName: repo.fullName,
        status: repo.syncStatus === 'failed' ? ('failed' as const) : ('complete' as const),
        pullRequests: repo.syncCompleted ?? 0,
        error: repo.syncStatus === 'failed' ? (repo.syncLastError ?? 'unknown error') : null,
      }))
      .sort((a, b) => a.fullName.localeCompare(b.fullName)),
    pullRequests: active.reduce((sum, repo) => sum + (repo.syncCompleted ?? 0), 0),
    startedAt: times((repo) => repo.syncRunStartedAt)[0] ?? '',
    finishedAt: times((repo) => repo.syncFinishedAt).at(-1) ?? '',
  };
}

const columns: Column[] = [
  { title: 'Repository' },
  { title: 'Pull requests', align: 'right' },
  { title: 'Result' },
];

/** "Your history is in": what was synced, how long it took, and what failed. */
export function renderSyncComplete(summary: SyncSummary, unsubscribeUrl: string): Email {
  const failed = summary.repositories.filter((repo) => repo.status === 'failed');
  const took = formatDuration(Date.parse(summary.finishedAt) - Date.parse(summary.startedAt));
  const intro = `Flowmeter synced ${summary.pullRequests} pull requests from ${summary.repositories.length} repositories in ${took}.${
    failed.length > 0 ? ` ${failed.length} could not be synced; see below.` : ''
  } Weekly digests follow every Monday morning.`;
  const rows = summary.repositories.map((repo) => [
    repo.fullName,
    String(repo.pullRequests),
    repo.error === null ? 'synced' : `failed: ${repo.error}`,
  ]);
  const title = `Flowmeter: ${summary.accountLogin} is synced`;
  const sections = [
    {
      heading: 'Repositories',
      text: textTable(columns, rows),
      html: htmlTable(
        columns,
        rows.map((row) => row.map(escapeHtml)),
      ),
    },
  ];
  return {
    subject: `${title} (${summary.pullRequests} pull requests${failed.length > 0 ? `, ${failed.length} failed` : ''})`,
    text: textDocument({ title, intro, sections, unsubscribeUrl }),
    html: htmlDocument({ title, intro: escapeHtml(intro), sections, unsubscribeUrl }),
  };
}
