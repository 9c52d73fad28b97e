import type { TableRef } from '#shared/store/table.ts';

/** A DynamoDB command as the table sees it: its class and its input. */
export interface SentCommand {
  constructor: { name: string };
  input: {
    Key?: Record<string, unknown>;
    RequestItems?: Record<string, unknown[]>;
    UpdateExpression?: string;
    ExpressionAttributeValues?: Record<string, unknown>;
    ConsistentRead?: boolean;
  };
}

/** What a command that the process died at rejects with. */
export class ProcessDied extends Error {}

/**
 * The embedded table as a process sees it that dies at the first command
 * `dies` picks: that command is never sent, and rejects; every other goes
 * through to the real table. What a crash between two writes leaves behind.
 */
export function dyingTable(ref: TableRef, dies: (command: SentCommand) => boolean): TableRef {
  let died = false;
  return {
    tableName: ref.tableName,
    db: {
      send: ((command: SentCommand) => {
        if (!died && dies(command)) {
          died = true;
          return Promise.reject(new ProcessDied('the process died'));
        }
        return ref.db.send(command as never);
      }) as TableRef['db']['send'],
    },
  };
}
