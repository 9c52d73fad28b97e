import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { deliveryEventWeeks } from '#shared/metrics/delivery-week.ts';
import {
  forgetIncident,
  recordIncident,
  repositoryIncidents,
} from '#shared/store/delivery-history.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { forgetRelease, releaseItem, repositoryReleases } from '#shared/store/releases.ts';
import { dyingTable } from '../support/dying-table.ts';
import { useLocalStack } from '../support/local-stack.ts';

const harness = useLocalStack();
const repository = { installationId: 3131, repositoryId: 31_310 };
const now = new Date('2026-11-26T12:00:00Z');

/** The harness's table, but the process dies at its first write of a week's mark. */
function dyingAtFirstMark() {
  return dyingTable(harness.table, (command) =>
    Object.values(command.input.Key ?? {}).some((key) => String(key).startsWith('DIRTYWEEK#')),
  );
}

async function marks(): Promise<string[]> {
  return (await listDirtyWeeks(harness.table, repository.installationId))
    .map((mark) => mark.week)
    .sort();
}

async function clearMarks(): Promise<void> {
  await clearDirtyWeeks(
    harness.table,
    repository.installationId,
    await listDirtyWeeks(harness.table, repository.installationId),
  );
}

describe('forgetting a release or an incident, with a crash in the middle', () => {
  it('leaves a deleted release for the redelivery, which marks its weeks and forgets it', async () => {
    const release = {
      ...repository,
      repositoryFullName: 'acme/api',
      releaseId: 77,
      tagName: 'v1.0.0',
      sha: 'a'.repeat(40),
      authorLogin: 'mona',
      publishedAt: '2026-11-20T16:00:00.000Z',
      prerelease: false,
    };
    await harness.table.db.send(
      new PutCommand({ TableName: harness.table.tableName, Item: releaseItem(release) }),
    );
    await clearMarks();

    await expect(
      forgetRelease(dyingAtFirstMark(), repository, release.releaseId, now),
    ).rejects.toThrow('the process died');
    // GitHub redelivers the event: the release is still there to find.
    expect(await forgetRelease(harness.table, repository, release.releaseId, now)).toBe(true);

    expect(await marks()).toEqual(deliveryEventWeeks([release.publishedAt]).sort());
    expect(await repositoryReleases(harness.table, repository.installationId, 31_310)).toEqual([]);
  });

  it('leaves an incident whose label went for the redelivery, which marks its weeks and forgets it', async () => {
    const incident = {
      number: 9,
      title: 'Checkout down',
      body: null,
      labels: ['incident'],
      openedAt: '2026-11-24T10:00:00.000Z',
      closedAt: '2026-11-24T12:00:00.000Z',
    };
    await recordIncident(harness.table, repository, incident, '2026-11-24T12:00:00Z', now);
    await clearMarks();
    const unlabelled = { updatedAt: '2026-11-25T09:00:00Z', gone: false };

    await expect(
      forgetIncident(dyingAtFirstMark(), repository, 9, unlabelled, now),
    ).rejects.toThrow('the process died');
    expect(await forgetIncident(harness.table, repository, 9, unlabelled, now)).toBe('forgotten');

    expect(await marks()).toEqual(
      deliveryEventWeeks([incident.openedAt, incident.closedAt]).sort(),
    );
    expect(await repositoryIncidents(harness.table, repository.installationId, 31_310)).toEqual([]);
  });
});
