/** GraphQL's `rateLimit { cost remaining resetAt }`: what a query cost, and what is left of the hour's points. */
export interface RateLimitInfo {
  cost: number;
  remaining: number;
  resetAt: string;
}

/** A primary or secondary rate limit: nothing may be asked before `until` (epoch ms). */
export class RateLimitedError extends Error {
  readonly until: number;
  constructor(message: string, until: number, options?: ErrorOptions) {
    super(message, options);
    this.until = until;
  }
}

/** What a failed GitHub answer says about its limits: its message, headers and GraphQL error types. */
export interface LimitSignals {
  message: string;
  headers: Record<string, string | undefined>;
  graphqlTypes?: readonly (string | undefined)[];
}

/**
 * The rate limit a failed answer reports, or null: a secondary limit waits
 * its `retry-after` (a minute when GitHub gives none), a spent primary
 * budget waits for its reset.
 */
export function rateLimitIn(signals: LimitSignals, cause: unknown): RateLimitedError | null {
  const { message, headers } = signals;
  if (/secondary rate/i.test(message)) {
    const seconds = Number(headers['retry-after'] ?? 60) || 60;
    return new RateLimitedError('secondary rate limit', Date.now() + seconds * 1000, { cause });
  }
  if (signals.graphqlTypes?.includes('RATE_LIMITED') || headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset'] ?? 0) * 1000;
    return new RateLimitedError('primary rate limit', Math.max(reset, Date.now() + 1000), {
      cause,
    });
  }
  return null;
}
