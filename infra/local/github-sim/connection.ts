/**
 * Relay-style connections over an indexable list, as GitHub's GraphQL API
 * pages them: `first`/`after` forwards, `last`/`before` backwards, opaque
 * cursors, `totalCount` computed only when asked for.
 */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface IndexedList<T> {
  length(): number;
  slice(offset: number, limit: number): T[];
}

export function cursorFor(offset: number): string {
  return Buffer.from(`cursor:v2:${offset}`).toString('base64');
}

function offsetOf(cursor: string | null | undefined): number | undefined {
  if (!cursor) return undefined;
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new Error(`\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(match[1]);
}

export function connection<T>(list: IndexedList<T>, args: ConnectionArgs) {
  const after = offsetOf(args.after);
  const before = offsetOf(args.before);
  let start = after === undefined ? 0 : after + 1;
  let end = before ?? Number.POSITIVE_INFINITY;
  if (args.first != null) end = Math.min(end, start + args.first);
  else if (args.last != null) {
    end = Math.min(end, list.length());
    start = Math.max(start, end - args.last);
  }
  const items = list.slice(start, Math.max(0, end - start));
  const endOffset = start + items.length - 1;
  return {
    totalCount: () => list.length(),
    nodes: items,
    edges: items.map((node, i) => ({ cursor: cursorFor(start + i), node })),
    pageInfo: {
      startCursor: items.length > 0 ? cursorFor(start) : null,
      endCursor: items.length > 0 ? cursorFor(endOffset) : null,
      hasPreviousPage: start > 0,
      hasNextPage: () => endOffset + 1 < list.length(),
    },
  };
}

export function arrayList<T>(items: readonly T[]): IndexedList<T> {
  return {
    length: () => items.length,
    slice: (offset, limit) => items.slice(offset, offset + limit),
  };
}
