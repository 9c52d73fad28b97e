import { listInstallations, listRepositories } from '../store/installations.ts';
import { purgeInstallation, purgeRepository } from '../store/purge.ts';
import type { TableRef } from '../store/table.ts';

export interface RetentionOutcome {
  installations: number;
  repositories: number;
}

/**
 * The retention policy, applied: an installation deleted (the App
 * uninstalled) more than `retentionDays` ago loses everything stored of it;
 * a repository taken off the App that long ago loses its pull requests and
 * its item, and the weeks they fed are marked to be rolled up again without
 * them. Idempotent: a run stopped half way is finished by the next.
 */
export async function applyRetention(
  ref: TableRef,
  now: Date,
  retentionDays: number,
  log: (message: string, details: Record<string, unknown>) => void,
): Promise<RetentionOutcome> {
  const before = now.getTime() - retentionDays * 86_400_000;
  const expired = (at: string | undefined) => at !== undefined && Date.parse(at) < before;
  const outcome: RetentionOutcome = { installations: 0, repositories: 0 };
  for (const installation of await listInstallations(ref)) {
    const id = installation.installationId;
    if (installation.status === 'deleted') {
      if (!expired(installation.updatedAt)) continue;
      const items = await purgeInstallation(ref, id);
      log('uninstalled installation purged', { installationId: id, items });
      outcome.installations++;
      continue;
    }
    for (const repository of await listRepositories(ref, id)) {
      if (repository.active || !expired(repository.removedAt)) continue;
      const pullRequests = await purgeRepository(ref, id, repository.repositoryId, now);
      log('removed repository purged', {
        installationId: id,
        repositoryId: repository.repositoryId,
        pullRequests,
      });
      outcome.repositories++;
    }
  }
  return outcome;
}
