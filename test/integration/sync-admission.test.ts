import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { recordRepositories } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import {
  admission,
  admitNext,
  admittedHoldsMs,
  deepAtOnce,
  recordAdmission,
  startingAtOnce,
} from '#shared/store/sync-admission.ts';
import { acquireSyncLease } from '#shared/sync/sync-state.ts';
import { useLocalStack } from '../support/local-stack.ts';

const harness = useLocalStack();
const now = Date.parse('2026-12-02T08:00:00Z');
let nextInstallation = 8100;

/** An installation of `count` repositories (ids 1…count), admitted as the installation webhook does. */
async function installed(count: number): Promise<number> {
  const installationId = nextInstallation++;
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  await recordRepositories(
    harness.table,
    installationId,
    ids.map((id) => ({ id, name: `r${id}`, full_name: `org/r${id}`, private: false })),
    new Date(now),
  );
  const { admitted, heldBack } = admission(ids);
  await recordAdmission(harness.table, installationId, { admitted, heldBack }, new Date(now));
  return installationId;
}

/** Writes sync state straight onto a repository item, as a worker's checkpoint would. */
async function setState(
  installationId: number,
  repositoryId: number,
  state: Record<string, unknown>,
): Promise<void> {
  const names = Object.keys(state);
  await harness.table.db.send(
    new UpdateCommand({
      TableName: harness.table.tableName,
      Key: keys.repository(installationId, repositoryId),
      UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#n${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(
        names.map((name, i) => [`:v${i}`, state[name]]),
      ),
    }),
  );
}

/** A worker takes the run up (clearing its admission) and parks it after its recent part. */
async function parked(installationId: number, repositoryId: number): Promise<void> {
  await acquireSyncLease(harness.table, { installationId, repositoryId }, 'worker', now, 60_000);
  await setState(installationId, repositoryId, {
    syncStatus: 'syncing',
    syncPhase: 'deep',
    syncPending: true,
    syncLeaseUntil: 0,
    syncLastJobKey: `job-${repositoryId}`,
  });
}

const ids = (admitted: { repositoryId: number }[]) => admitted.map((repo) => repo.repositoryId);

describe('sync admission', () => {
  it('counts a let-in run as under way until a worker takes it up, so no deep phase starts before every recent part', async () => {
    const installationId = await installed(startingAtOnce + 2);
    // 1 and 2 park; each lets in one of the two held back (11, 12).
    await parked(installationId, 1);
    expect(ids(await admitNext(harness.table, installationId, 1, now))).toEqual([11]);
    await parked(installationId, 2);
    expect(ids(await admitNext(harness.table, installationId, 2, now))).toEqual([12]);
    // 3 parks with 4…12 let in but not yet taken up by a worker: their recent parts come first.
    await parked(installationId, 3);
    expect(await admitNext(harness.table, installationId, 3, now)).toEqual([]);

    // Once every recent part is read, the parked deep phases come in a few at a time.
    for (let id = 4; id <= startingAtOnce + 2; id++) await parked(installationId, id);
    const deep = await admitNext(harness.table, installationId, startingAtOnce + 2, now);
    expect(ids(deep)).toEqual([1, 2, 3].slice(0, deepAtOnce));
    expect(deep[0]?.continuing).toBe('job-1');
    // Those let in hold their places too: the next park lets none in beyond them.
    expect(await admitNext(harness.table, installationId, undefined, now)).toEqual([]);
  });

  it("gives a place back when a run's job never arrives, or its worker's lease ran out", async () => {
    const installationId = await installed(startingAtOnce + 3);
    // A restarted stack (no run ending) fills the free places: none while all ten hold theirs.
    expect(await admitNext(harness.table, installationId, undefined, now)).toEqual([]);
    // An hour on, nine of the ten were taken up and hold live leases; one job never arrived.
    const later = now + admittedHoldsMs + 1;
    for (let id = 1; id <= startingAtOnce - 1; id++) {
      await acquireSyncLease(
        harness.table,
        { installationId, repositoryId: id },
        'w',
        later,
        60_000,
      );
      await setState(installationId, id, { syncStatus: 'syncing', syncPhase: 'recent' });
    }
    expect(ids(await admitNext(harness.table, installationId, undefined, later))).toEqual([11]);
    // Two of the nine workers crashed: their leases ran out, their places are free.
    const afterCrash = later + 60_001;
    for (const id of [1, 2]) await setState(installationId, id, { syncLeaseUntil: later });
    for (let id = 3; id <= startingAtOnce - 1; id++)
      await setState(installationId, id, { syncLeaseUntil: afterCrash + 60_000 });
    expect(ids(await admitNext(harness.table, installationId, undefined, afterCrash))).toEqual([
      12, 13,
    ]);
  });
});
