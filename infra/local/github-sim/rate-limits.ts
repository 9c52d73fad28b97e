/**
 * Primary rate limits as GitHub documents them for an App installation: a
 * budget per installation per resource (REST "core" and "graphql" are separate
 * pools), refilled when the window resets.
 */
export type RateLimitResource = 'core' | 'graphql';

export interface RateLimitOptions {
  /** REST requests per window. @default 5000 */
  coreLimit?: number;
  /** GraphQL points per window. @default 5000 */
  graphqlLimit?: number;
  /** @default 3_600_000 (an hour) */
  windowMs?: number;
}

export interface RateLimitState {
  limit: number;
  used: number;
  remaining: number;
  /** Epoch seconds at which the window resets. */
  reset: number;
  resource: RateLimitResource;
}

interface Window {
  startedAt: number;
  used: number;
}

export class RateLimits {
  private readonly windows = new Map<string, Window>();
  private readonly limits: Record<RateLimitResource, number>;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: RateLimitOptions, now: () => number) {
    this.limits = { core: options.coreLimit ?? 5000, graphql: options.graphqlLimit ?? 5000 };
    this.windowMs = options.windowMs ?? 3_600_000;
    this.now = now;
  }

  private window(installationId: number, resource: RateLimitResource): Window {
    const key = `${installationId}:${resource}`;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now >= window.startedAt + this.windowMs) {
      window = { startedAt: now, used: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  state(installationId: number, resource: RateLimitResource): RateLimitState {
    const window = this.window(installationId, resource);
    const limit = this.limits[resource];
    return {
      limit,
      used: window.used,
      remaining: Math.max(0, limit - window.used),
      reset: Math.ceil((window.startedAt + this.windowMs) / 1000),
      resource,
    };
  }

  /** Spends `cost` if the budget allows it; otherwise spends nothing. */
  charge(
    installationId: number,
    resource: RateLimitResource,
    cost: number,
  ): { allowed: boolean; state: RateLimitState } {
    const window = this.window(installationId, resource);
    const allowed = window.used + cost <= this.limits[resource];
    if (allowed) window.used += cost;
    return { allowed, state: this.state(installationId, resource) };
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-used': String(state.used),
    'x-ratelimit-reset': String(state.reset),
    'x-ratelimit-resource': state.resource,
  };
}
