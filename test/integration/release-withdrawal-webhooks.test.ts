import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { releaseItem, repositoryReleases } from '#shared/store/releases.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { installationPayload, releasePayload, repository } from '../support/payloads.ts';

const installationId = 1818;
const repo = repository(18_180, 'app');
const harness = useLocalStack();

/** A publication of a release as the sync stores it. */
async function published(releaseId: number, publishedAt: string) {
  const release = {
    installationId,
    repositoryId: repo.id,
    repositoryFullName: repo.full_name,
    releaseId,
    tagName: `v${releaseId}`,
    sha: 'b'.repeat(40),
    authorLogin: 'mona',
    publishedAt,
    prerelease: false,
  };
  await harness.table.db.send(
    new PutCommand({ TableName: harness.table.tableName, Item: releaseItem(release) }),
  );
}

const stored = async () =>
  (await repositoryReleases(harness.table, installationId, repo.id)).map((release) => [
    release.releaseId,
    release.publishedAt,
  ]);

describe('release webhooks out of order', () => {
  it('keeps a release published again when its earlier `unpublished` arrives after', async () => {
    await harness.send('installation', installationPayload('created', installationId, [repo]));
    await harness.drain(harness.stack.aws.syncQueueUrl);
    // Unpublished on the 2nd, published again on the 3rd (the sync stored that publication).
    await published(1, '2026-11-03T10:00:00.000Z');

    const unpublished = await harness.send(
      'release',
      releasePayload('unpublished', installationId, repo, {
        id: 1,
        tagName: 'v1',
        publishedAt: null,
        updatedAt: '2026-11-02T10:00:00Z',
      }),
    );

    expect(unpublished.status).toBe(200);
    expect(await stored()).toEqual([[1, '2026-11-03T10:00:00.000Z']]);
  });

  it('forgets an unpublished release as of its withdrawal, and a deleted one whatever its time', async () => {
    await published(2, '2026-11-01T10:00:00.000Z');
    await published(3, '2026-11-04T10:00:00.000Z');

    await harness.send(
      'release',
      releasePayload('unpublished', installationId, repo, {
        id: 2,
        tagName: 'v2',
        publishedAt: null,
        updatedAt: '2026-11-02T10:00:00Z',
      }),
    );
    // Deleted: release ids are never used again.
    await harness.send(
      'release',
      releasePayload('deleted', installationId, repo, {
        id: 3,
        tagName: 'v3',
        publishedAt: '2026-11-04T10:00:00Z',
        updatedAt: '2026-11-02T10:00:00Z',
      }),
    );

    expect((await stored()).map(([id]) => id)).not.toContain(2);
    expect((await stored()).map(([id]) => id)).not.toContain(3);
  });
});
