/**
 * A value read from elsewhere (a secret, a key file), kept for
 * `refreshAfterMs` so a rotation shows up on a warm function. Callers at
 * the same moment share one read; a failed read is not kept, so the next
 * call reads again — a throttled Secrets Manager call or a key configured
 * after the function started must not fail it for the rest of its life.
 */
export function refreshing<T>(
  read: () => Promise<T>,
  refreshAfterMs: number,
  now: () => number = Date.now,
): () => Promise<T> {
  let kept: { value: T; readAt: number } | undefined;
  let reading: Promise<T> | undefined;
  return () => {
    if (kept && now() - kept.readAt < refreshAfterMs) return Promise.resolve(kept.value);
    reading ??= read().then(
      (value) => {
        kept = { value, readAt: now() };
        reading = undefined;
        return value;
      },
      (error: unknown) => {
        reading = undefined;
        throw error;
      },
    );
    return reading;
  };
}
