import {
  type GitHubRepository,
  githubTime,
  installationEventSchema,
  installationRepositoriesEventSchema,
} from '../github/webhook-payloads.ts';
import type { SyncRequest } from '../queue/sync-job.ts';
import {
  deactivateRepositories,
  type InstallationFacts,
  type InstallationStatus,
  listRepositories,
  recordInstallation,
  recordRepositories,
} from '../store/installations.ts';
import { admission, recordAdmission } from '../store/sync-admission.ts';
import type { EventContext } from './event-context.ts';
import { parsePayload } from './parse-payload.ts';

const syncTarget = (repo: GitHubRepository) => ({ id: repo.id, fullName: repo.full_name });

/** A deleted installation stays deleted, and an event older than its status changes nothing. */
const notApplied = (installationId: number, stored: InstallationStatus) =>
  `installation ${installationId} left ${stored}: the event is older than its status, or the installation was deleted`;

/** installation.created: record the installation and its repositories, sync each, fetch its Copilot usage, read its teams. */
export async function installationCreated(
  payload: unknown,
  context: EventContext,
): Promise<string> {
  const event = parsePayload(installationEventSchema, payload, 'installation');
  const status = await recordInstallation(context.table, event.installation, context.now, 'active');
  if (status !== 'active') return notApplied(event.installation.id, status);
  const recorded = await addRepositories(event.installation, event.repositories, context);
  const { admitted, heldBack } = await admitSyncs(
    event.installation.id,
    recorded.map(syncTarget),
    context,
    'installation',
  );
  await context.requestCopilotUsage(event.installation.id);
  await context.requestTeamsReading(event.installation.id, 'installation');
  return `installation ${event.installation.id} recorded with ${recorded.length} of ${event.repositories.length} repositories: ${admitted} queued for sync, ${heldBack} held back`;
}

/** Records repositories added to the App; returns those recorded: not removed by a newer event. */
function addRepositories(
  installation: InstallationFacts,
  repositories: readonly GitHubRepository[],
  context: EventContext,
): Promise<GitHubRepository[]> {
  return recordRepositories(
    context.table,
    installation.id,
    repositories,
    context.now,
    githubTime(installation.updated_at),
  );
}

/** Syncs repositories: a few into the sync queue now, the rest held back to come in as syncs end. */
async function admitSyncs(
  installationId: number,
  repositories: SyncRequest['repositories'],
  context: EventContext,
  trigger: SyncRequest['trigger'],
): Promise<{ admitted: number; heldBack: number }> {
  const { admitted, heldBack } = admission(repositories);
  await recordAdmission(
    context.table,
    installationId,
    { admitted: admitted.map((repo) => repo.id), heldBack: heldBack.map((repo) => repo.id) },
    context.now,
  );
  await context.requestSync({ installationId, repositories: admitted, trigger });
  return { admitted: admitted.length, heldBack: heldBack.length };
}

/**
 * installation.new_permissions_accepted: the account's owners approved what
 * the App asked for since it was installed — the "Members" permission, say,
 * which the installation read no teams without: read them now.
 */
export async function installationPermissionsAccepted(
  payload: unknown,
  context: EventContext,
): Promise<string> {
  const event = parsePayload(installationEventSchema, payload, 'installation');
  const status = await recordInstallation(context.table, event.installation, context.now);
  // A suspended one's teams are read by the first daily reading after it is unsuspended.
  if (status !== 'active')
    return `installation ${event.installation.id} is ${status}: its teams are not read now`;
  await context.requestTeamsReading(event.installation.id, 'permissions-accepted');
  return `installation ${event.installation.id} accepted new permissions: its teams are read again`;
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
  const repositories = (await listRepositories(context.table, event.installation.id))
    .filter((repo) => repo.active)
    .map((repo) => ({ id: repo.repositoryId, fullName: repo.fullName }));
  const { admitted, heldBack } = await admitSyncs(
    event.installation.id,
    repositories,
    context,
    'unsuspended',
  );
  return `installation ${event.installation.id} active again: ${admitted} repositories queued for sync, ${heldBack} held back`;
}

/**
 * installation_repositories.added / removed: adjust the selection, sync what
 * was added. A repository whose stored selection is newer than the event
 * (the installation's `updated_at`) is left as it is, and not synced.
 */
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
  const added = await addRepositories(event.installation, event.repositories_added, context);
  await deactivateRepositories(
    context.table,
    installationId,
    event.repositories_removed,
    context.now,
    githubTime(event.installation.updated_at),
  );
  // A suspended installation's are synced when it is unsuspended.
  const synced =
    status === 'active'
      ? await admitSyncs(installationId, added.map(syncTarget), context, 'repositories-added')
      : { admitted: 0, heldBack: 0 };
  return `installation ${installationId}: ${added.length} of ${event.repositories_added.length} added (${synced.admitted} queued, ${synced.heldBack} held back), ${event.repositories_removed.length} removed`;
}
