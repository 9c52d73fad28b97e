import { RequestError } from '@octokit/request-error';
import type { PullRequestFacts, ReviewFacts } from '../github/pull-request-facts.ts';
import {
  type ChunkResponse,
  type CommitNode,
  chunkQuery,
  type FollowUpResponse,
  followUpQuery,
  type RateLimitInfo,
  type ReviewNode,
  syncedFacts,
} from './pull-request-query.ts';

export type Graphql = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

export interface RepositoryRef {
  installationId: number;
  repositoryId: number;
  /** owner/name */
  repositoryFullName: string;
}

export interface Chunk {
  pullRequests: (PullRequestFacts & { reviews: Record<string, ReviewFacts> })[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
  rateLimit: RateLimitInfo;
  requests: number;
  points: number;
}

/** GitHub could not finish the query in time (502/504) or answered part of it: ask for less. */
export class HeavyQueryError extends Error {}

/** The repository is gone, or the installation suspended, deleted or stripped of access: retrying cannot help. */
export class RepositoryGoneError extends Error {}

/** A primary or secondary rate limit: nothing may be asked before `until` (epoch ms). */
export class RateLimitedError extends Error {
  readonly until: number;
  constructor(message: string, until: number, options?: ErrorOptions) {
    super(message, options);
    this.until = until;
  }
}

/**
 * Fetches one chunk: a page of pull requests (newest update first) and, for
 * those with more reviews or commits than the first nested page, the rest in
 * batched follow-up queries, so every PR in the chunk is complete.
 */
export async function fetchChunk(
  graphql: Graphql,
  repository: RepositoryRef,
  page: { after: string | null; size: number },
): Promise<Chunk> {
  const [owner, name] = repository.repositoryFullName.split('/');
  const response = await call<ChunkResponse>(graphql, chunkQuery, {
    owner,
    name,
    first: page.size,
    after: page.after,
  });
  if (!response.repository)
    throw new RepositoryGoneError(`${repository.repositoryFullName} not found`);
  const connection = response.repository.pullRequests;
  const reviews = new Map<number, ReviewNode[]>();
  const commits = new Map<number, CommitNode[]>();
  let needs = connection.nodes.map((node) => {
    reviews.set(node.number, [...node.reviews.nodes]);
    commits.set(node.number, [...node.commits.nodes]);
    return {
      number: node.number,
      reviewsAfter: node.reviews.pageInfo.hasNextPage
        ? (node.reviews.pageInfo.endCursor ?? undefined)
        : undefined,
      commitsAfter: node.commits.pageInfo.hasNextPage
        ? (node.commits.pageInfo.endCursor ?? undefined)
        : undefined,
    };
  });
  let rateLimit = response.rateLimit;
  let requests = 1;
  let points = response.rateLimit.cost;
  needs = needs.filter((need) => need.reviewsAfter || need.commitsAfter);
  while (needs.length > 0) {
    const more = await call<FollowUpResponse>(graphql, followUpQuery(needs), { owner, name });
    requests++;
    points += more.rateLimit.cost;
    rateLimit = more.rateLimit;
    needs = needs.flatMap((need) => {
      const pr = more.repository[`pr${need.number}`];
      if (!pr) return [];
      if (pr.reviews) reviews.get(need.number)?.push(...pr.reviews.nodes);
      if (pr.commits) commits.get(need.number)?.push(...pr.commits.nodes);
      const next = {
        number: need.number,
        reviewsAfter: pr.reviews?.pageInfo.hasNextPage
          ? (pr.reviews.pageInfo.endCursor ?? undefined)
          : undefined,
        commitsAfter: pr.commits?.pageInfo.hasNextPage
          ? (pr.commits.pageInfo.endCursor ?? undefined)
          : undefined,
      };
      return next.reviewsAfter || next.commitsAfter ? [next] : [];
    });
  }
  return {
    pullRequests: connection.nodes.map((node) =>
      syncedFacts(repository, node, reviews.get(node.number) ?? [], commits.get(node.number) ?? []),
    ),
    totalCount: connection.totalCount,
    endCursor: connection.pageInfo.endCursor,
    hasNextPage: connection.pageInfo.hasNextPage,
    rateLimit,
    requests,
    points,
  };
}

/** Runs a query, turning GitHub's failure answers into the sync engine's error kinds. */
async function call<T>(
  graphql: Graphql,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  try {
    return await graphql<T>(query, variables);
  } catch (error) {
    throw classify(error);
  }
}

interface GitHubFailure {
  status?: number;
  message?: string;
  errors?: { type?: string }[];
  data?: { errors?: { type?: string }[] };
  response?: { headers?: Record<string, string | undefined> };
}

export function classify(error: unknown): unknown {
  const failure = error as GitHubFailure;
  const status = error instanceof RequestError ? error.status : failure.status;
  const headers = failure.response?.headers ?? {};
  const message = failure.message ?? '';
  const types = [...(failure.errors ?? []), ...(failure.data?.errors ?? [])].map((e) => e.type);
  if (/secondary rate/i.test(message)) {
    const seconds = Number(headers['retry-after'] ?? 60) || 60;
    return new RateLimitedError('secondary rate limit', Date.now() + seconds * 1000, {
      cause: error,
    });
  }
  if (types.includes('RATE_LIMITED') || headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset'] ?? 0) * 1000;
    return new RateLimitedError('primary rate limit', Math.max(reset, Date.now() + 1000), {
      cause: error,
    });
  }
  if (status === 502 || status === 504)
    return new HeavyQueryError(`GitHub answered ${status}`, { cause: error });
  if (types.includes('NOT_FOUND') || status === 404) {
    return new RepositoryGoneError('repository not found or no longer accessible', {
      cause: error,
    });
  }
  if (status === 401 || status === 403) {
    return new RepositoryGoneError(`access refused: ${message}`, { cause: error });
  }
  return error;
}
