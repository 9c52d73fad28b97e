/**
 * Items grouped under each key `keysOf` gives them — none (left out), one,
 * or several (a person in two teams) — keys in ascending order, so rows
 * built from the groups always come in the same order.
 */
export function groupUnder<T>(
  items: readonly T[],
  keysOf: (item: T) => readonly number[],
): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    for (const key of keysOf(item)) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a - b));
}

/** Distinct ids, ascending: a row's repositories. */
export function distinctIds(ids: Iterable<number>): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}
