import { pullRequestFacts, reviewFacts } from '../github/pull-request-facts.ts';
import {
  type GitHubRepository,
  type GitHubUser,
  pullRequestEventSchema,
  pullRequestReviewEventSchema,
} from '../github/webhook-payloads.ts';
import {
  installationStatus,
  recordInstallation,
  recordRepositoryName,
} from '../store/installations.ts';
import { recordPullRequests } from '../store/record-pull-requests.ts';
import type { EventContext } from './event-context.ts';
import { parsePayload } from './parse-payload.ts';

/** pull_request.*: store the PR's facts from the payload, no GitHub API call. */
export async function pullRequestChanged(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(pullRequestEventSchema, payload, 'pull_request');
  const facts = { ...pullRequestFacts(event), readyAt: readyAtOf(event) };
  await coverRepository(event, context);
  const recorded = await recordPullRequests(
    context.table,
    { installationId: facts.installationId, changed: facts },
    context.now,
  );
  return `${facts.repositoryFullName}#${facts.number} ${recorded.changed}`;
}

/** The moment a PR became ready for review, when this event is that moment. */
function readyAtOf(event: {
  action: string;
  pull_request: { draft: boolean; created_at: string; updated_at: string };
}): string | undefined {
  if (event.action === 'ready_for_review') return event.pull_request.updated_at;
  if (event.action === 'opened' && !event.pull_request.draft) return event.pull_request.created_at;
  return undefined;
}

/** pull_request_review.*: refresh the PR's facts and fold the review into it. */
export async function pullRequestReviewed(
  payload: unknown,
  context: EventContext,
): Promise<string> {
  const event = parsePayload(pullRequestReviewEventSchema, payload, 'pull_request_review');
  const facts = pullRequestFacts(event);
  await coverRepository(event, context);
  await recordPullRequests(
    context.table,
    { installationId: facts.installationId, changed: facts, review: reviewFacts(event.review) },
    context.now,
  );
  return `${facts.repositoryFullName}#${facts.number} review ${event.review.id} ${event.review.state}`;
}

/**
 * Keeps the repository as GitHub names it (a rename or transfer whose own
 * event was missed shows here first). And a pull request of a repository
 * never recorded — its installation's own deliveries were lost — would be an
 * orphan no sync or reconciliation ever covers: the repository is recorded,
 * with its installation (the account owning the repository), and backfilled
 * like one just added to the App.
 */
async function coverRepository(
  event: { installation: { id: number }; repository: GitHubRepository & { owner: GitHubUser } },
  context: EventContext,
): Promise<void> {
  const installationId = event.installation.id;
  const recorded = await recordRepositoryName(
    context.table,
    installationId,
    event.repository,
    context.now,
  );
  if (recorded !== 'new') return;
  const status =
    (await installationStatus(context.table, installationId)) ??
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
