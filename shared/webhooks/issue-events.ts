import { issuesEventSchema } from '../github/webhook-payloads.ts';
import { isIncident } from '../metrics/production-history.ts';
import { forgetIncident, recordIncident } from '../store/delivery-history.ts';
import { deliveryRules } from '../store/installations.ts';
import { coverRepository } from './cover-repository.ts';
import type { EventContext } from './event-context.ts';
import { parsePayload } from './parse-payload.ts';

/**
 * `issues` (every action): an issue whose labels match the installation's
 * incident pattern is stored as an incident, whole, as the event shows it;
 * one that no longer matches, or was deleted or moved to another
 * repository, is forgotten. Either way the weeks whose figures it changes
 * are marked for the rollup. An event older than the one the issue's item
 * was written from (`issue.updated_at`) changes nothing and marks nothing.
 */
export async function issueChanged(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(issuesEventSchema, payload, 'issues');
  await coverRepository(event, context);
  const { issue } = event;
  const repository = { installationId: event.installation.id, repositoryId: event.repository.id };
  const { labelPattern } = deliveryRules(context.installation ?? {}).incidentRules;
  const labels = issue.labels.map((label) => label.name);
  const gone = event.action === 'deleted' || event.action === 'transferred';
  const name = `${event.repository.full_name}#${issue.number}`;
  const stale = `${name}: an older copy than the one stored, changing nothing`;
  if (gone || !isIncident(labels, labelPattern)) {
    const forgotten = await forgetIncident(
      context.table,
      repository,
      issue.number,
      { updatedAt: issue.updated_at, gone },
      context.now,
    );
    if (forgotten === 'stale') return stale;
    return forgotten === 'forgotten'
      ? `${name} no longer an incident`
      : `${name} is not an incident`;
  }
  const recorded = await recordIncident(
    context.table,
    repository,
    {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      labels,
      openedAt: issue.created_at,
      closedAt: issue.closed_at,
    },
    issue.updated_at,
    context.now,
  );
  if (recorded === 'stale') return stale;
  return `${name} incident ${issue.closed_at ? 'closed' : 'open'}`;
}
