import type { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { MetricRow } from '#shared/metrics/rollup.ts';
import type { TableRef } from '#shared/store/table.ts';
import { readWeeklyMetrics, replaceWeeklyMetrics } from '#shared/store/weekly-metrics.ts';
import { weeklyMetricsView } from '#shared/views/weekly-metrics-view.ts';
import { countingTable } from '../support/counting-table.ts';
import { useLocalStack } from '../support/local-stack.ts';

const harness = useLocalStack();
const installationId = 7070;
const week = '2026-W48';

// The store keeps whatever the rollup computed; a few fields stand for all of them.
const row = (key: string, opened: number) =>
  ({
    row: key,
    scope: key === 'organisation' ? key : key.startsWith('repo#') ? 'repository' : 'author',
    name: key,
    metrics: { opened, cycle: { median: 1.5 } },
    timeZone: 'UTC',
  }) as unknown as MetricRow & { timeZone: string };

/** The real table, with every BatchWriteItem's puts and deletes counted on the way. */
function writeCountingTable(): { ref: TableRef; writes: { puts: number; deletes: number } } {
  const writes = { puts: 0, deletes: 0 };
  const ref: TableRef = {
    tableName: harness.table.tableName,
    db: {
      send: ((command: BatchWriteCommand) => {
        for (const requests of Object.values(command.input.RequestItems ?? {})) {
          for (const request of requests) {
            if (request.PutRequest) writes.puts += 1;
            if (request.DeleteRequest) writes.deletes += 1;
          }
        }
        return harness.table.db.send(command);
      }) as TableRef['db']['send'],
    },
  };
  return { ref, writes };
}

describe('replaceWeeklyMetrics', () => {
  it('writes only the rows that changed, and deletes the ones gone', async () => {
    const first = writeCountingTable();
    await replaceWeeklyMetrics(first.ref, installationId, week, [
      row('organisation', 3),
      row('repo#1', 3),
    ]);
    expect(first.writes).toEqual({ puts: 2, deletes: 0 });

    const again = writeCountingTable();
    await replaceWeeklyMetrics(again.ref, installationId, week, [
      row('organisation', 3),
      row('repo#1', 3),
    ]);
    expect(again.writes).toEqual({ puts: 0, deletes: 0 });

    const moved = writeCountingTable();
    await replaceWeeklyMetrics(moved.ref, installationId, week, [
      row('organisation', 4),
      row('repo#2', 1),
    ]);
    // organisation changed, repo#2 is new, repo#1 is gone.
    expect(moved.writes).toEqual({ puts: 2, deletes: 1 });
    expect(
      (await readWeeklyMetrics(harness.table, installationId, week, week)).map((item) => [
        item.row,
        (item.metrics as unknown as { opened: number }).opened,
      ]),
    ).toEqual([
      // In the order of their keys.
      ['organisation', 4],
      ['repo#2', 1],
    ]);
  });
});

describe('weeklyMetricsView rowsOf', () => {
  const viewInstallation = 7071;
  const weeksStored = ['2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46'];

  it('reads only the head row of the weeks before the latest, and shows the same trends', async () => {
    for (const [index, stored] of weeksStored.entries()) {
      await replaceWeeklyMetrics(harness.table, viewInstallation, stored, [
        row('organisation', 10 + index),
        row('repo#1', 4 + index),
        row('repo#2', 6),
        row('author#7', 2),
      ]);
    }
    const { table: ref, reads } = countingTable(harness.table);
    const installation = { installationId: viewInstallation, accountLogin: 'acme' } as never;
    const range = { weeks: 2, now: new Date(), through: '2026-W46' };
    const every = await weeklyMetricsView(ref, installation, { ...range, rowsOf: 'every week' });
    // Two weeks shown and four more back for their comparisons: W41…W46, four rows each.
    expect(reads.items).toBe(24);
    reads.items = 0;
    const latest = await weeklyMetricsView(ref, installation, { ...range, rowsOf: 'latest week' });
    // The organisation's row of W41…W45, and W46's four rows.
    expect(reads.items).toBe(5 + 4);

    expect(latest.weeks.map((shown) => [shown.week, shown.organisation?.opened])).toEqual([
      ['2026-W46', 15],
      ['2026-W45', 14],
    ]);
    expect(latest.weeks[0]?.headlines).not.toBeNull();
    for (const [index, shown] of latest.weeks.entries()) {
      expect(shown.headlines).toEqual(every.weeks[index]?.headlines);
    }
    expect(latest.weeks[0]?.repositories).toEqual(every.weeks[0]?.repositories);
    expect(latest.weeks[0]?.repositories.map((repo) => repo.id)).toEqual([1, 2]);
    // The week before is shown as its trend only.
    expect(latest.weeks[1]?.repositories).toEqual([]);
  });
});
