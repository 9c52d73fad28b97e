import { formatDuration } from '#shared/views/format.ts';
import type { HistoryProgress } from '#shared/views/history-progress.ts';
import type { RepositoryProgress } from '#shared/views/sync-progress-view.ts';

/** More repositories than this are shown as counts, not a bar each. */
const barsUpTo = 12;

interface StatusAnswer {
  history?: HistoryProgress & { summary: string };
  repositories: RepositoryProgress[];
}

/**
 * Live sync progress in the terminal, read from the status API like any
 * operator would: one bar per repository (counts by status for a large
 * organisation) and how far back the history reaches, redrawn in place on a
 * TTY, a line per change otherwise; a line when the last finished week is
 * complete and rolled up, and when the whole backfill finished. Resolves
 * when every repository is done.
 */
export async function showSyncProgress(
  statusUrl: string,
  intervalMs = 500,
): Promise<RepositoryProgress[]> {
  const tty = process.stdout.isTTY;
  const started = Date.now();
  const after = () => formatDuration(Date.now() - started);
  let drawn = 0;
  let last = '';
  // Milestones are told only when seen happening (a restart may find them long past).
  let weekAwaited = false;
  let weekRolledUp = false;
  let backfillAwaited = false;
  const say = (line: string) => {
    if (tty && drawn > 0) process.stdout.write(`\x1b[${drawn}A\x1b[0J`);
    console.log(line);
    drawn = 0;
    last = '';
  };
  for (;;) {
    const response = await fetch(statusUrl);
    const answer: StatusAnswer =
      response.status === 200 ? ((await response.json()) as StatusAnswer) : { repositories: [] };
    const { repositories, history } = answer;
    const done = repositories.every((r) => r.status === 'complete' || r.status === 'failed');
    backfillAwaited ||= repositories.length === 0 || !done;
    weekAwaited ||= repositories.length === 0 || (history !== undefined && !history.completeSince);
    // Once every repository has its recent weeks (or all is done), the week's rollup follows in seconds.
    if (weekAwaited && !weekRolledUp && (history?.completeSince || (done && repositories.length))) {
      const week = await rolledUpWeek(statusUrl.replace(/\/repos$/, '/metrics/weekly?weeks=1'));
      if (week) {
        weekRolledUp = true;
        say(`  ${week}, the last finished week, complete and rolled up after ${after()}`);
      }
    }
    const lines = [
      ...(repositories.length > barsUpTo ? [counts(repositories)] : repositories.map(bar)),
      ...(history ? [`  history ${history.summary}`] : []),
    ];
    const frame = lines.join('\n');
    if (frame !== last) {
      if (tty && drawn > 0) process.stdout.write(`\x1b[${drawn}A\x1b[0J`);
      console.log(frame);
      drawn = lines.length;
      last = frame;
    }
    if (repositories.length > 0 && done) {
      if (backfillAwaited) say(`  the whole backfill finished after ${after()}`);
      return repositories;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The last finished week, once the metrics API has its organisation row. */
async function rolledUpWeek(metricsUrl: string): Promise<string | null> {
  const response = await fetch(metricsUrl);
  if (response.status !== 200) return null;
  const [week] = ((await response.json()) as { weeks: { week: string; organisation: unknown }[] })
    .weeks;
  return week?.organisation ? week.week : null;
}

function counts(repositories: readonly RepositoryProgress[]): string {
  const by = new Map<string, number>();
  for (const repo of repositories) by.set(repo.status, (by.get(repo.status) ?? 0) + 1);
  const stored = repositories.reduce((sum, repo) => sum + repo.completed, 0);
  const states = ['syncing', 'waiting', 'queued', 'complete', 'failed']
    .filter((status) => by.has(status))
    .map((status) => `${by.get(status)} ${status}`);
  return `  ${repositories.length} repositories: ${states.join(', ')}; ${stored.toLocaleString('en')} PRs stored`;
}

function bar(repo: RepositoryProgress): string {
  const width = 30;
  const filled = Math.round((repo.percent / 100) * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const detail =
    repo.status === 'waiting' && repo.waitingUntil
      ? `waiting for rate limit until ${repo.waitingUntil}`
      : repo.status === 'failed'
        ? `failed: ${repo.lastError}`
        : repo.total === null
          ? `${repo.completed} PRs`
          : `${repo.completed} of ${repo.total} PRs`;
  return `  ${repo.fullName.padEnd(28)} ${bar} ${String(repo.percent).padStart(3)}%  ${repo.status.padEnd(8)} ${detail}`;
}
