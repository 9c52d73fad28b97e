/**
 * The wait before retry `attempt` (0-based), exponential with full jitter:
 * uniform in [0, min(cap, base·2^attempt)], so callers that failed together
 * do not come back together.
 */
export function backoffDelay(
  attempt: number,
  options: { baseMs: number; capMs: number },
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(options.capMs, options.baseMs * 2 ** attempt));
}
