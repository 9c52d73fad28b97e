import { randomFor } from './random.ts';
import type { RestReply } from './rest-reply.ts';

/**
 * Ways GitHub fails, switched on per run (and changeable while it runs):
 * heavy GraphQL queries timing out as 502, random 5xx, added latency,
 * secondary rate limits, repositories vanishing, a suspended installation.
 */
export interface FaultOptions {
  /** GraphQL queries that could return more nodes than this answer 502, as GitHub's timeouts do. */
  graphqlMaxNodes?: number;
  /** GraphQL queries costing more points than this answer 502 too. */
  graphqlMaxCost?: number;
  /**
   * How a heavy query times out: 502 (the default), or 200 with `data: null`
   * and an untyped error, which GitHub answers too.
   */
  graphqlTimeoutStatus?: 200 | 502;
  /** Pull request fields GitHub refuses the App (FORBIDDEN, null in a partial answer). */
  forbiddenPullRequestFields?: ('timelineItems' | 'labels' | 'reviews' | 'commits')[];
  /**
   * `owner/name#number` of pull requests a page of `pullRequests` answers as
   * null, their required `commits` refused (FORBIDDEN), as GitHub answers a
   * PR it cannot serve the App whole: lost from the page, yet still counted
   * by `totalCount` and search, and served by `pullRequest(number:)`.
   */
  voidedInPages?: string[];
  /** `owner/name#number` of pull requests that no longer resolve (NOT_FOUND), as deleted spam does. */
  missingPullRequests?: string[];
  /** Share (0–1) of requests answered with a random 502, 503 or 504. */
  errorRate?: number;
  /** The next this-many requests answer 503, whatever the rate: a deterministic outage. */
  failNext?: number;
  /** Added to every response. */
  latencyMs?: number;
  /** Secondary limits (GitHub: 100 concurrent; 900 REST / 2000 GraphQL points a minute). */
  secondary?: { maxConcurrent?: number; pointsPerMinute?: number; retryAfterSeconds?: number };
  /** `owner/name` of repositories that answer 404 from now on. */
  goneRepositories?: string[];
  /** The installation is suspended: tokens and calls answer 403. */
  suspended?: boolean;
}

const secondaryMessage =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';

export class FaultInjector {
  private options: FaultOptions;
  private readonly seed: number;
  private readonly now: () => number;
  private inFlight = 0;
  private requests = 0;
  private readonly points: { at: number; points: number }[] = [];

  constructor(options: FaultOptions, seed: number, now: () => number) {
    this.options = options;
    this.seed = seed;
    this.now = now;
  }

  set(options: FaultOptions): void {
    this.options = options;
  }

  get current(): Readonly<FaultOptions> {
    return this.options;
  }

  isGone(fullName: string): boolean {
    return (this.options.goneRepositories ?? []).some(
      (gone) => gone.toLowerCase() === fullName.toLowerCase(),
    );
  }

  /** A refusal to send instead of serving, or undefined to go on. Call `leave` after serving. */
  enter(points: number): RestReply | undefined {
    this.requests++;
    if (this.options.suspended) {
      return {
        status: 403,
        body: {
          message: 'This installation has been suspended',
          documentation_url: 'https://docs.github.com/rest',
        },
      };
    }
    const secondary = this.options.secondary;
    if (secondary) {
      const now = this.now();
      while (this.points.length > 0 && (this.points[0]?.at ?? 0) <= now - 60_000)
        this.points.shift();
      const used = this.points.reduce((sum, entry) => sum + entry.points, 0);
      const overConcurrency =
        secondary.maxConcurrent !== undefined && this.inFlight >= secondary.maxConcurrent;
      const overPoints =
        secondary.pointsPerMinute !== undefined && used + points > secondary.pointsPerMinute;
      if (overConcurrency || overPoints) {
        return {
          status: 403,
          body: {
            message: secondaryMessage,
            documentation_url:
              'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          },
          headers: { 'retry-after': String(secondary.retryAfterSeconds ?? 60) },
        };
      }
      this.points.push({ at: now, points });
    }
    if (this.options.failNext) {
      this.options = { ...this.options, failNext: this.options.failNext - 1 };
      return { status: 503, body: { message: 'Service Unavailable' } };
    }
    const random = randomFor(this.seed, 'faults', this.requests);
    if (this.options.errorRate && random.chance(this.options.errorRate)) {
      const status = random.pick([502, 503, 504]);
      return { status, body: { message: status === 502 ? 'Server Error' : 'Service Unavailable' } };
    }
    this.inFlight++;
    return undefined;
  }

  leave(): void {
    this.inFlight--;
  }

  async delay(): Promise<void> {
    if (this.options.latencyMs)
      await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
  }
}

/** What GitHub answers when a GraphQL query times out. */
export const graphqlTimeout: RestReply = {
  status: 502,
  body: {
    data: null,
    errors: [
      {
        message:
          'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include the request ID when reporting this issue.',
      },
    ],
  },
};
