import { beforeAll, describe, expect, it } from 'vitest';
import { readOpenPullRequests } from '#shared/store/open-pull-requests.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { installationPayload, pullRequestPayload, repository } from '../support/payloads.ts';

const installationId = 5280;
const harness = useLocalStack();
const repo = repository(61, 'api');

/** A `pull_request` event of PR 1 as of `updatedAt`, with `changes` to its payload. */
function event(action: string, updatedAt: string, changes: Record<string, unknown> = {}) {
  const payload = pullRequestPayload(installationId, repo, { number: 1, updatedAt });
  const { requested_team, ...pullRequest } = changes;
  return {
    ...payload,
    action,
    pull_request: { ...payload.pull_request, ...pullRequest },
    ...(requested_team ? { requested_team } : {}),
  };
}

const open = () => readOpenPullRequests(harness.table, installationId);
const team = { id: 7, name: 'Platform', slug: 'platform' };

describe('what the waiting list reads, as webhooks keep it', () => {
  beforeAll(async () => {
    await harness.send('installation', installationPayload('created', installationId, [repo]));
  });

  it('holds an open PR and the review request to a team, in one query of the open set', async () => {
    await harness.send('pull_request', event('opened', '2026-05-08T15:00:00Z'));
    await harness.send(
      'pull_request',
      event('review_requested', '2026-05-08T16:00:00Z', { requested_team: team }),
    );
    const state = await open();
    expect(state.pullRequests.map((pr) => pr.number)).toEqual([1]);
    expect(state.requests).toEqual([
      { repositoryId: repo.id, number: 1, teamId: 7, requestedAt: '2026-05-08T16:00:00Z' },
    ]);
  });

  it('ignores a removal older than the request, and drops a draft from the open set', async () => {
    await harness.send(
      'pull_request',
      event('review_request_removed', '2026-05-08T15:30:00Z', { requested_team: team }),
    );
    expect((await open()).requests).toHaveLength(1);
    await harness.send(
      'pull_request',
      event('converted_to_draft', '2026-05-08T17:00:00Z', { draft: true }),
    );
    expect(await open()).toEqual({ pullRequests: [], requests: [] });
    await harness.send('pull_request', event('ready_for_review', '2026-05-08T18:00:00Z'));
    expect((await open()).requests).toHaveLength(1);
  });

  it('takes a closed PR and its requests off the open set, for good', async () => {
    const merged = '2026-05-11T09:00:00Z';
    await harness.send(
      'pull_request',
      event('closed', merged, { state: 'closed', merged_at: merged, closed_at: merged }),
    );
    // A request sent before the merge, delivered after it.
    await harness.send(
      'pull_request',
      event('review_requested', '2026-05-10T09:00:00Z', { requested_team: team }),
    );
    expect(await open()).toEqual({ pullRequests: [], requests: [] });
  });
});
