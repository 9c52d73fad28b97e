import type { TableRef } from '#shared/store/table.ts';

/** What a process read of the table: queries and batch gets sent, items returned, and DynamoDB's read units for them. */
export interface Reads {
  queries: number;
  items: number;
  /** Eventually consistent reads: half a unit per 4 KB a query returns, rounded up, as DynamoDB charges. */
  readUnits: number;
}

/**
 * The embedded table as a process sees it, counting what its queries
 * return (item sizes as their JSON, near DynamoDB's own measure).
 */
export function countingTable(ref: TableRef): { table: TableRef; reads: Reads } {
  const reads: Reads = { queries: 0, items: 0, readUnits: 0 };
  return {
    reads,
    table: {
      tableName: ref.tableName,
      db: {
        send: (async (command: { constructor: { name: string } }) => {
          const answer = (await ref.db.send(command as never)) as {
            Items?: unknown[];
            Responses?: Record<string, unknown[]>;
          };
          const kind = command.constructor.name;
          if (kind === 'QueryCommand' || kind === 'BatchGetCommand') {
            const items = answer.Items ?? Object.values(answer.Responses ?? {}).flat();
            const bytes = items.reduce<number>((sum, item) => sum + JSON.stringify(item).length, 0);
            reads.queries++;
            reads.items += items.length;
            // A batch is charged per item (each rounded up to 4 KB); a query per 4 KB of all it returns.
            reads.readUnits +=
              kind === 'QueryCommand'
                ? Math.max(1, Math.ceil(bytes / 4096)) / 2
                : items.reduce<number>(
                    (sum, item) => sum + Math.ceil(JSON.stringify(item).length / 4096) / 2,
                    0,
                  );
          }
          return answer;
        }) as TableRef['db']['send'],
      },
    },
  };
}
