import { describe, expect, it } from 'vitest';
import { pullRequestFromItem, pullRequestItem } from '#shared/store/pull-requests.ts';
import { people, pr, review } from '../support/pull-request-factory.ts';

describe('a pull request item', () => {
  const merged = pr(
    people.alice,
    { createdAt: '2026-11-02T09:00:00Z', mergedAt: '2026-11-03T10:00:00Z', repositoryId: 4321 },
    [review(people.bob, '2026-11-02T12:00:00Z')],
  );

  it('keeps the installation and repository in its key only', () => {
    const item = pullRequestItem({ ...merged, installationId: 987 });
    expect(item).toMatchObject({ pk: 'INST#987#REPO#4321' });
    expect(item).not.toHaveProperty('installationId');
    expect(item).not.toHaveProperty('repositoryId');
  });

  it('reads back as the facts it was written from', () => {
    const { openedAt, closedAt, teamOpened, teamClosed, pk, sk, ...read } = pullRequestFromItem(
      pullRequestItem(merged),
    ) as ReturnType<typeof pullRequestFromItem> & Record<string, unknown>;
    expect({ ...read, closedAt }).toEqual(merged);
    expect([openedAt, teamOpened, teamClosed]).toEqual([
      '2026-11-02T09:00:00Z',
      'INST#1',
      'INST#1',
    ]);
  });

  it('reads an open PR without a close time as closed at null', () => {
    const open = pr(people.carol, { createdAt: '2026-11-04T09:00:00Z' });
    expect(pullRequestItem(open)).not.toHaveProperty('closedAt');
    expect(pullRequestFromItem(pullRequestItem(open)).closedAt).toBeNull();
  });
});
