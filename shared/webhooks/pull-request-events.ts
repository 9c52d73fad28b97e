import { pullRequestFacts, reviewFacts } from '../github/pull-request-facts.ts';
import {
  pullRequestEventSchema,
  pullRequestReviewEventSchema,
} from '../github/webhook-payloads.ts';
import type { PullRequestFacts } from '../metrics/pull-request.ts';
import { recordPullRequests } from '../store/record-pull-requests.ts';
import { closeReviewRequests, recordReviewRequest } from '../store/review-requests.ts';
import { coverRepository } from './cover-repository.ts';
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
  await recordTeamRequest(event, facts, context);
  return `${facts.repositoryFullName}#${facts.number} ${recorded.changed}`;
}

/** A team asked to review, or no longer; a closed PR's requests leave the open set (`review-requests.ts`). */
async function recordTeamRequest(
  event: { action: string; requested_team?: { id: number } | undefined },
  facts: PullRequestFacts,
  context: EventContext,
): Promise<void> {
  if (event.action === 'closed') {
    await closeReviewRequests(context.table, facts, facts.updatedAt);
  } else if (event.requested_team && event.action.startsWith('review_request')) {
    const requested = event.action === 'review_requested';
    await recordReviewRequest(
      context.table,
      facts,
      event.requested_team.id,
      requested,
      facts.updatedAt,
    );
  }
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
