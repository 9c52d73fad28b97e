import { createAppAuth } from '@octokit/auth-app';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import { withTransientRetry } from './transient-retry.ts';

/**
 * Octokit for one installation of the GitHub App: installation tokens from
 * the App's key (cached by auth-app until near expiry), retries of transient
 * failures, and rate-limit handling that never sleeps past the caller's time
 * budget — a wait that long is the sync engine's to schedule, not Lambda's.
 */
export interface AppClientOptions {
  appId: number;
  privateKey: string;
  /** The installation to act for; without one, only the App's own `/app` routes (JWT). */
  installationId?: number;
  /** api.github.com, a GitHub Enterprise Server `/api/v3`, or the simulator. */
  baseUrl: string;
  /** Milliseconds this invocation may still spend waiting. */
  remainingMs: () => number;
  /**
   * Gap between GraphQL and write requests. Octokit's default, 1 s, follows
   * GitHub's advice to send such requests serially and spaced; the local
   * simulator enforces its own secondary limits instead.
   * @default 1000
   */
  requestSpacingMs?: number;
}

const ThrottledOctokit = Octokit.plugin(throttling);
export type AppClient = InstanceType<typeof ThrottledOctokit>;

/** GitHub's GraphQL as an installation: Octokit's `graphql`, typed to what its callers use. */
export type Graphql = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

const quiet = () => {};

/** Waits shorter than this are taken in place; longer ones end the invocation. */
const maxInlineWaitSeconds = 60;

export function createAppClient(options: AppClientOptions): AppClient {
  const affordable = (seconds: number) =>
    seconds <= maxInlineWaitSeconds && seconds * 1000 < options.remainingMs() - 10_000;
  const octokit = new ThrottledOctokit({
    baseUrl: options.baseUrl,
    authStrategy: createAppAuth,
    auth: {
      appId: options.appId,
      privateKey: options.privateKey,
      ...(options.installationId === undefined ? {} : { installationId: options.installationId }),
    },
    userAgent: 'flowmeter',
    // Octokit would log every failed request to the console; each reaches its caller as an
    // error, which decides what it means (a 404 may be an answer) and logs that.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    throttle: {
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.requestSpacingMs ?? 1000 }),
      onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryCount === 0 && affordable(retryAfter),
      onSecondaryRateLimit: (
        retryAfter: number,
        _options: unknown,
        _octokit: unknown,
        retryCount: number,
      ) => retryCount < 2 && affordable(retryAfter),
    },
  });
  // Outermost, so a request the throttling plugin gave up on is not retried again here.
  octokit.hook.wrap('request', (request, requestOptions) =>
    withTransientRetry(async () => request(requestOptions), {
      retries: 4,
      baseMs: 500,
      capMs: 8000,
      // Keep ten seconds for the checkpoint after the last attempt.
      remainingMs: () => options.remainingMs() - 10_000,
    }),
  );
  return octokit;
}
