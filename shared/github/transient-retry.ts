import { RequestError } from '@octokit/request-error';
import { backoffDelay } from '../backoff.ts';

/**
 * Retries of GitHub's transient failures — 500 and 503, and network errors,
 * which Octokit reports as status 500 — with exponential backoff and full
 * jitter: attempt n waits a random time between 0 and min(cap, base·2ⁿ), so
 * many workers hit by the same outage do not come back in step. 502 and 504
 * are not retried here: for a GraphQL query they mean "ask for less", which
 * the sync engine does by shrinking its page.
 */
export interface TransientRetryOptions {
  retries: number;
  baseMs: number;
  capMs: number;
  /** Milliseconds the caller may still spend; a wait that does not fit is not taken. */
  remainingMs: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const transientStatuses: ReadonlySet<number> = new Set([500, 503]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `send`, retrying transient failures as above; other errors pass through at once. */
export async function withTransientRetry<T>(
  send: () => Promise<T>,
  options: TransientRetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof RequestError) || !transientStatuses.has(error.status)) throw error;
      if (attempt >= options.retries) throw error;
      const delay = backoffDelay(attempt, options, options.random);
      if (delay >= options.remainingMs()) throw error;
      await (options.sleep ?? defaultSleep)(delay);
    }
  }
}
