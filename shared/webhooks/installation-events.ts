import {
  type GitHubRepository,
  installationEventSchema,
  installationRepositoriesEventSchema,
} from '../github/webhook-payloads.ts';
import {
  deactivateRepositories,
  type InstallationStatus,
  listRepositories,
  recordInstallation,
  recordRepositories,
} from '../store/installations.ts';
import { admission, holdBack } from '../store/sync-admission.ts';
import type { EventContext } from './event-context.ts';
import { parsePayload } from './parse-payload.ts';

const syncTarget = (repo: GitHubRepository) => ({ id: repo.id, fullName: repo.full_name });

/** A deleted installation stays deleted, and an event older than its status changes nothing. */
const notApplied = (installationId: number, stored: InstallationStatus) =>
  `installation ${installationId} left ${stored}: the event is older than its status, or the installation was deleted`;

/** installation.created: record the installation and its repositories, sync each, fetch its Copilot usage. */
export async function installationCreated(
  payload: unknown,
  context: EventContext,
): Promise<string> {
  const event = parsePayload(installationEventSchema, payload, 'installation');
  const status = await recordInstallation(context.table, event.installation, context.now, 'active');
  if (status !== 'active') return notApplied(event.installation.id, status);
  // A few into the sync queue now, the rest held back to come in as syncs end.
  const { admitted, heldBack } = admission(event.repositories);
  await recordRepositories(
    context.table,
    event.installation.id,
    event.repositories,
    context.now,
    new Set(heldBack.map((repo) => repo.id)),
  );
  await context.requestSync({
    installationId: event.installation.id,
    repositories: admitted.map(syncTarget),
    trigger: 'installation',
  });
  await context.requestCopilotUsage(event.installation.id);
  return `installation ${event.installation.id} recorded with ${event.repositories.length} repositories: ${admitted.length} queued for sync, ${heldBack.length} held back`;
}

/** installation.deleted / suspend: no further sync work until (un)suspended. */
export function installationStatusChanged(status: Exclude<InstallationStatus, 'active'>) {
  return async (payload: unknown, context: EventContext): Promise<string> => {
    const event = parsePayload(installationEventSchema, payload, 'installation');
    const stored = await recordInstallation(context.table, event.installation, context.now, status);
    if (stored !== status) return notApplied(event.installation.id, stored);
    return `installation ${event.installation.id} marked ${status}`;
  };
}

/**
 * installation.unsuspend: active again, and every active repository gets an
 * incremental sync to catch up on what happened while suspended.
 */
export async function installationUnsuspended(
  payload: unknown,
  context: EventContext,
): Promise<string> {
  const event = parsePayload(installationEventSchema, payload, 'installation');
  const status = await recordInstallation(context.table, event.installation, context.now, 'active');
  if (status !== 'active') return notApplied(event.installation.id, status);
  const repositories = (await listRepositories(context.table, event.installation.id)).filter(
    (repo) => repo.active,
  );
  const { admitted, heldBack } = admission(repositories);
  await holdBack(
    context.table,
    event.installation.id,
    heldBack.map((repo) => repo.repositoryId),
  );
  await context.requestSync({
    installationId: event.installation.id,
    repositories: admitted.map((repo) => ({ id: repo.repositoryId, fullName: repo.fullName })),
    trigger: 'unsuspended',
  });
  return `installation ${event.installation.id} active again: ${admitted.length} repositories queued for sync, ${heldBack.length} held back`;
}

/** installation_repositories.added / removed: adjust the selection, sync what was added. */
export async function installationRepositoriesChanged(
  payload: unknown,
  context: EventContext,
): Promise<string> {
  const event = parsePayload(
    installationRepositoriesEventSchema,
    payload,
    'installation_repositories',
  );
  const installationId = event.installation.id;
  // The installation may be new to us if its `installation.created` delivery was lost.
  const status = await recordInstallation(context.table, event.installation, context.now);
  if (status === 'deleted') return notApplied(installationId, status);
  const toSync = status === 'active' ? admission(event.repositories_added) : null;
  await recordRepositories(
    context.table,
    installationId,
    event.repositories_added,
    context.now,
    new Set(toSync?.heldBack.map((repo) => repo.id)),
  );
  await deactivateRepositories(
    context.table,
    installationId,
    event.repositories_removed.map((repo) => repo.id),
    context.now,
  );
  const queued = toSync?.admitted ?? [];
  await context.requestSync({
    installationId,
    repositories: queued.map(syncTarget),
    trigger: 'repositories-added',
  });
  return `installation ${installationId}: ${event.repositories_added.length} added (${queued.length} queued, ${toSync?.heldBack.length ?? 0} held back), ${event.repositories_removed.length} removed`;
}
