import { githubTime, releaseEventSchema } from '../github/webhook-payloads.ts';
import { deliveryRules } from '../store/installations.ts';
import { forgetRelease } from '../store/releases.ts';
import { coverRepository } from './cover-repository.ts';
import type { EventContext } from './event-context.ts';
import { parsePayload } from './parse-payload.ts';

/**
 * release.published / release.edited: for an installation whose
 * deployments are its releases, asks for the repository's sync. The event
 * names the release's tag, not the commit it points at, which the sync
 * reads with the release (and the default branch's newest commits with
 * it). `created`, `released` and `prereleased` come with `published` and
 * are not acted on twice.
 */
export async function releaseChanged(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(releaseEventSchema, payload, 'release');
  await coverRepository(event, context);
  const name = `${event.repository.full_name} release ${event.release.tag_name}`;
  const { installation } = context;
  if (installation?.status !== 'active' || deliveryRules(installation).source !== 'releases') {
    return `${name}: releases are not this installation's deployments`;
  }
  await context.requestSync({
    installationId: event.installation.id,
    repositories: [{ id: event.repository.id, fullName: event.repository.full_name }],
    trigger: 'release',
  });
  return `${name} ${event.action}`;
}

/**
 * release.unpublished / release.deleted: the release no longer counts,
 * whatever the source. Deleted is final (release ids are never used
 * again); unpublished withdraws what was published up to the release's
 * `updated_at`, and not a publication since (it was published again).
 */
export async function releaseWithdrawn(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(releaseEventSchema, payload, 'release');
  await coverRepository(event, context);
  const forgotten = await forgetRelease(
    context.table,
    { installationId: event.installation.id, repositoryId: event.repository.id },
    event.release.id,
    context.now,
    event.action === 'deleted' ? undefined : githubTime(event.release.updated_at),
  );
  const name = `${event.repository.full_name} release ${event.release.tag_name}`;
  return forgotten
    ? `${name} ${event.action}: forgotten`
    : `${name} ${event.action}: not stored, or published again since`;
}
