import { pullRequestFacts, reviewFacts } from '../github/pull-request-facts.ts';
import {
  pullRequestEventSchema,
  pullRequestReviewEventSchema,
} from '../github/webhook-payloads.ts';
import { weeksTouched } from '../metrics/weeks.ts';
import { markWeeksDirty } from '../store/dirty-weeks.ts';
import { recordMembers } from '../store/members.ts';
import { recordReview, upsertPullRequest } from '../store/pull-requests.ts';
import type { EventContext } from './event-context.ts';
import { parsePayload } from './parse-payload.ts';

/** pull_request.*: store the PR's facts from the payload, no GitHub API call. */
export async function pullRequestChanged(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(pullRequestEventSchema, payload, 'pull_request');
  const facts = { ...pullRequestFacts(event), readyAt: readyAtOf(event) };
  await recordMembers(context.table, event.installation.id, [event.pull_request.user], context.now);
  const written = await upsertPullRequest(context.table, facts);
  // Late data: the weeks this PR feeds must be rolled up again.
  await markWeeksDirty(context.table, facts.installationId, weeksTouched([facts]), context.now);
  return `${facts.repositoryFullName}#${facts.number} ${written}`;
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
  await recordMembers(
    context.table,
    event.installation.id,
    [event.pull_request.user, event.review.user],
    context.now,
  );
  // A stale PR copy still leaves the item in place for the review to land on.
  await upsertPullRequest(context.table, facts);
  const review = reviewFacts(event.review);
  await recordReview(context.table, facts, review);
  await markWeeksDirty(
    context.table,
    facts.installationId,
    weeksTouched([{ ...facts, reviews: { [review.reviewId]: review } }]),
    context.now,
  );
  return `${facts.repositoryFullName}#${facts.number} review ${event.review.id} ${event.review.state}`;
}
