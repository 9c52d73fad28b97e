import type { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { MetricRow } from '#shared/metrics/rollup.ts';
import type { TableRef } from '#shared/store/table.ts';
import { readWeeklyMetrics, replaceWeeklyMetrics } from '#shared/store/weekly-metrics.ts';
import { useLocalStack } from '../support/local-stack.ts';

const harness = useLocalStack();
const installationId = 7070;
const week = '2026-W48';

// The store keeps whatever the rollup computed; a few fields stand for all of them.
const row = (key: string, opened: number) =>
  ({
    row: key,
    scope: 'organisation',
    name: key,
    metrics: { opened, cycle: { median: 1.5 } },
    timeZone: 'UTC',
  }) as unknown as MetricRow & { timeZone: string };

/** The real table, with every BatchWriteItem's puts and deletes counted on the way. */
function countingTable(): { ref: TableRef; writes: { puts: number; deletes: number } } {
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
    const first = countingTable();
    await replaceWeeklyMetrics(first.ref, installationId, week, [
      row('organisation', 3),
      row('repo#1', 3),
    ]);
    expect(first.writes).toEqual({ puts: 2, deletes: 0 });

    const again = countingTable();
    await replaceWeeklyMetrics(again.ref, installationId, week, [
      row('organisation', 3),
      row('repo#1', 3),
    ]);
    expect(again.writes).toEqual({ puts: 0, deletes: 0 });

    const moved = countingTable();
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
