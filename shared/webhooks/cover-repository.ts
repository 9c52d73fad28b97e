import { githubTime, type OwnedRepository } from '../github/webhook-payloads.ts';
import { recordInstallation, recordRepositoryName } from '../store/installations.ts';
import type { EventContext } from './event-context.ts';

/**
 * For an event about one repository (a pull request, a review, a
 * deployment): keeps the repository as GitHub names it (a rename or
 * transfer whose own event was missed shows here first), unless a newer
 * event named it (the repository's `updated_at`). And an event of a
 * repository never recorded — its installation's own deliveries were lost — would be an
 * orphan no sync or reconciliation ever covers: the repository is recorded,
 * with its installation (the account owning the repository), and backfilled
 * like one just added to the App.
 */
export async function coverRepository(
  event: { installation: { id: number }; repository: OwnedRepository },
  context: EventContext,
): Promise<void> {
  const installationId = event.installation.id;
  const recorded = await recordRepositoryName(
    context.table,
    installationId,
    event.repository,
    context.now,
    githubTime(event.repository.updated_at),
  );
  if (recorded !== 'new') return;
  const status =
    context.installation?.status ??
    (await recordInstallation(
      context.table,
      { id: installationId, account: event.repository.owner },
      context.now,
    ));
  if (status !== 'active') return;
  await context.requestSync({
    installationId,
    repositories: [{ id: event.repository.id, fullName: event.repository.full_name }],
    trigger: 'repositories-added',
  });
}
