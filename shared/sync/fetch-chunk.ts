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

/** The repository is gone or no longer readable: a sync cannot succeed by retrying. */
export class RepositoryGoneError extends Error {}

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
    // One attempt: a 502 here means "ask for less", which the caller decides, not plugin-retry.
    return await graphql<T>(query, { ...variables, request: { retries: 0 } });
  } catch (error) {
    const status = error instanceof RequestError ? error.status : undefined;
    if (status === 502 || status === 504)
      throw new HeavyQueryError(`GitHub answered ${status}`, { cause: error });
    const errors = (error as { errors?: { type?: string }[] }).errors;
    if (errors?.some((e) => e.type === 'NOT_FOUND')) {
      throw new RepositoryGoneError('repository not found or no longer accessible', {
        cause: error,
      });
    }
    if (status === 404) throw new RepositoryGoneError('repository not found', { cause: error });
    throw error;
  }
}
