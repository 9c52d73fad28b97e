import { githubTime, repositoryEventSchema } from '../github/webhook-payloads.ts';
import { renameRepository } from '../store/installations.ts';
import type { EventContext } from './event-context.ts';
import { parsePayload } from './parse-payload.ts';

/**
 * repository.renamed / transferred: the sync asks GitHub for a repository by
 * its name, so the stored name follows GitHub's. A repository not recorded
 * for this installation is left alone (its installation events decide).
 */
export async function repositoryMoved(payload: unknown, context: EventContext): Promise<string> {
  const { installation, repository } = parsePayload(repositoryEventSchema, payload, 'repository');
  const renamed = await renameRepository(
    context.table,
    installation.id,
    repository,
    context.now,
    githubTime(repository.updated_at),
  );
  return renamed
    ? `repository ${repository.id} now ${repository.full_name}`
    : `repository ${repository.id} not recorded, or its name unchanged`;
}
