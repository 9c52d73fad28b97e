/** Median, 75th and 90th percentile of a set of durations, in hours. */
export interface Distribution {
  count: number;
  median: number;
  p75: number;
  p90: number;
}

/**
 * The `p`-quantile (0..1) of sorted values by linear interpolation between
 * closest ranks (Excel's PERCENTILE.INC, numpy's default): the median of
 * [1, 2, 3, 4] is 2.5, its 90th percentile 3.7.
 */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('quantile of nothing');
  const rank = (sorted.length - 1) * p;
  const below = Math.floor(rank);
  const low = sorted[below] ?? 0;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return low + (rank - below) * (high - low);
}

/** Rounded to hundredths, so stored items are stable and readable. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Durations in milliseconds → their distribution in hours; null when there are none. */
export function distributionOf(durationsMs: readonly number[]): Distribution | null {
  if (durationsMs.length === 0) return null;
  const hours = durationsMs.map((ms) => ms / 3_600_000).sort((a, b) => a - b);
  return {
    count: hours.length,
    median: round2(quantile(hours, 0.5)),
    p75: round2(quantile(hours, 0.75)),
    p90: round2(quantile(hours, 0.9)),
  };
}

export function median(values: readonly number[]): number | null {
  return values.length === 0
    ? null
    : quantile(
        [...values].sort((a, b) => a - b),
        0.5,
      );
}
