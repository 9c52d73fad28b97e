import type { RepositoryProgress } from '#shared/views/sync-progress-view.ts';

/**
 * Live sync progress in the terminal, read from the status API like any
 * operator would: one bar per repository, redrawn in place on a TTY, a line
 * per change otherwise. Resolves when every repository is done.
 */
export async function showSyncProgress(
  statusUrl: string,
  intervalMs = 500,
): Promise<RepositoryProgress[]> {
  const tty = process.stdout.isTTY;
  let drawn = 0;
  let last = '';
  for (;;) {
    const response = await fetch(statusUrl);
    const repositories =
      response.status === 200
        ? ((await response.json()) as { repositories: RepositoryProgress[] }).repositories
        : [];
    const lines = repositories.map(render);
    const frame = lines.join('\n');
    if (frame !== last) {
      if (tty && drawn > 0) process.stdout.write(`\x1b[${drawn}A\x1b[0J`);
      console.log(frame);
      drawn = lines.length;
      last = frame;
    }
    if (
      repositories.length > 0 &&
      repositories.every((r) => r.status === 'complete' || r.status === 'failed')
    ) {
      return repositories;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function render(repo: RepositoryProgress): string {
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
