import { RequestError } from '@octokit/request-error';
import type { Graphql } from '../github/app-client.ts';
import { type RateLimitInfo, rateLimitIn } from '../github/rate-limited.ts';
import type { Assignee, ReviewFacts, StoredPullRequest } from '../metrics/pull-request.ts';
import type { FollowUp } from './checkpoint.ts';
import { type CountAlias, chunkQuery, countAliases, windowSearch } from './chunk-query.ts';
import type { ChunkResponse } from './chunk-response.ts';
import {
  type DeliveryCheckpoint,
  type DeliveryPage,
  deliveryFieldNames,
  readDeliveryPage,
} from './delivery-stream.ts';
import {
  assigneesFrom,
  commitFacts,
  nextFollowUp,
  reviewFromNode,
  syncedFacts,
} from './pull-request-mapping.ts';

export interface RepositoryRef {
  installationId: number;
  repositoryId: number;
  /** owner/name */
  repositoryFullName: string;
}

/** The next reviews / commits (and, for an AI agent's, the assignees) of a PR stored by an earlier chunk. */
export interface FollowUpPage {
  /** The cursors this page was read from. */
  followUp: FollowUp;
  reviews: ReviewFacts[];
  commitDates: string[];
  coAuthors: string[];
  /** The people assigned to it, when this page read them. */
  assignees?: Assignee[] | undefined;
  /** Where the PR continues, or null when this page was its last. */
  next: FollowUp | null;
}

export interface Chunk {
  /** The page's pull requests; those marked `followUp` continue in later chunks. */
  pullRequests: StoredPullRequest[];
  followUpPages: FollowUpPage[];
  totalCount: number;
  /** PRs updated since the window's start, when asked for and GitHub's search answered. */
  windowCount: number | null;
  /** PRs updated since the completeness check's start (`checkSince`), likewise. */
  checkCount: number | null;
  endCursor: string | null;
  hasNextPage: boolean;
  rateLimit: RateLimitInfo;
  points: number;
  /** Parts GitHub refused or could not find (FORBIDDEN, NOT_FOUND), read as absent: for the operators. */
  notes: string[];
  /** The delivery stream's page, when it was asked for. */
  delivery: DeliveryPage | null;
}

/** An error GitHub reports beside the data of a GraphQL answer. */
interface GraphqlError {
  type?: string;
  path?: (string | number)[];
  message?: string;
}

/**
 * A refusal or a miss inside one pull request of the page, on a follow-up
 * alias or on a delivery connection: GitHub answered the rest, and the part
 * is read as absent (a refused connection as empty, a vanished PR's
 * follow-up as done, deployments or issues the App may not read — an
 * installation that has not accepted those permissions — as none).
 */
function isPartial({ type, path = [] }: GraphqlError): boolean {
  if ((type !== 'FORBIDDEN' && type !== 'NOT_FOUND') || path[0] !== 'repository') return false;
  const insidePullRequest = path[1] === 'pullRequests' && path[2] === 'nodes' && path.length >= 5;
  return (
    insidePullRequest ||
    /^pr\d+$/.test(String(path[1])) ||
    deliveryFieldNames.includes(String(path[1]))
  );
}

/** GitHub could not finish the query in time (502/504) or answered part of it: ask for less. */
export class HeavyQueryError extends Error {}

/** The repository is gone, or the installation suspended, deleted or stripped of access: retrying cannot help. */
export class RepositoryGoneError extends Error {}

/** A page to fetch, and the counts its request asks for: PRs updated since each time. */
export interface PageRequest {
  after: string | null;
  size: number;
  /** The run's progress: the PRs it has to do. */
  countSince?: string | undefined;
  /** The completeness check: the PRs the sync window holds (`completeness.ts`). */
  checkSince?: string | undefined;
}

/**
 * Fetches one chunk in one request: the next page of pull requests (newest
 * update first; `page` null once every page is read), the next review /
 * commit pages of earlier PRs that had more than one nested page, and with
 * `page.countSince` / `page.checkSince` the number of PRs updated since then.
 */
export async function fetchChunk(
  graphql: Graphql,
  repository: RepositoryRef,
  page: PageRequest | null,
  followUps: readonly FollowUp[],
  delivery: DeliveryCheckpoint | null = null,
): Promise<Chunk> {
  const [owner, name] = repository.repositoryFullName.split('/');
  const since: Partial<Record<CountAlias, string>> = {
    ...(page?.countSince && { windowCount: page.countSince }),
    ...(page?.checkSince && { checkCount: page.checkSince }),
  };
  const counts = countAliases.filter((alias) => since[alias]);
  let response: ChunkResponse;
  let partial: GraphqlError[] = [];
  try {
    response = await graphql<ChunkResponse>(chunkQuery(page && { counts }, followUps, delivery), {
      owner,
      name,
      ...(page ? { first: page.size, after: page.after } : {}),
      ...Object.fromEntries(
        counts.map((alias) => [
          alias,
          windowSearch(repository.repositoryFullName, since[alias] ?? ''),
        ]),
      ),
    });
  } catch (error) {
    const { errors = [], data } = error as { errors?: GraphqlError[]; data?: ChunkResponse | null };
    // The counts are a nicety: a search GitHub could not answer (it voids the
    // whole response) costs one more request, without them, not the chunk.
    if (page && errors.some((e) => counts.some((alias) => e.path?.[0] === alias)))
      return fetchChunk(
        graphql,
        repository,
        { after: page.after, size: page.size },
        followUps,
        delivery,
      );
    if (!data?.repository || errors.length === 0 || !errors.every(isPartial)) throw classify(error);
    response = data;
    partial = errors;
  }
  if (!response.repository)
    throw new RepositoryGoneError(`${repository.repositoryFullName} not found`);
  const found = response.repository;
  // A renamed repository's old name can be taken by another: never store that one under this id.
  if (found.databaseId !== repository.repositoryId) {
    throw new RepositoryGoneError(
      `${repository.repositoryFullName} now names another repository; waiting for the new name (a rename or transfer webhook)`,
    );
  }
  const connection = found.pullRequests;
  return {
    // A PR GitHub voided (a refused non-null field) is left out, its note kept.
    pullRequests: (connection?.nodes ?? []).flatMap((node) =>
      node ? [syncedFacts(repository, node)] : [],
    ),
    followUpPages: followUps.map((followUp) => {
      // A PR that vanished has nothing more to read.
      const more = found[`pr${followUp.number}`] ?? {};
      const assignees = assigneesFrom(more);
      return {
        followUp,
        reviews: (more.reviews?.nodes ?? []).map(reviewFromNode),
        ...commitFacts(more.commits?.nodes ?? []),
        ...(assignees && { assignees }),
        next: nextFollowUp(followUp.number, more.reviews, more.commits),
      };
    }),
    totalCount: connection?.totalCount ?? 0,
    windowCount: response.windowCount?.issueCount ?? null,
    checkCount: response.checkCount?.issueCount ?? null,
    endCursor: connection?.pageInfo.endCursor ?? null,
    hasNextPage: connection?.pageInfo.hasNextPage ?? false,
    rateLimit: response.rateLimit,
    points: response.rateLimit.cost,
    notes: partial.map((e) => `${e.type} at ${(e.path ?? []).join('.')}: ${e.message ?? ''}`),
    delivery: delivery && readDeliveryPage(repository, delivery, found),
  };
}

interface GitHubFailure {
  status?: number;
  message?: string;
  errors?: GraphqlError[];
  data?: { errors?: GraphqlError[] };
  response?: { headers?: Record<string, string | undefined> };
}

/**
 * GitHub's failure answers as the sync engine's error kinds, by HTTP status
 * and by each GraphQL error's type and path: limits wait, a missing or
 * refused repository ends the sync, and timeouts, untyped and other errors
 * inside the query ask for a smaller page.
 */
export function classify(error: unknown): unknown {
  const failure = error as GitHubFailure;
  const status = error instanceof RequestError ? error.status : failure.status;
  const headers = failure.response?.headers ?? {};
  const message = failure.message ?? '';
  const graphqlErrors = [...(failure.errors ?? []), ...(failure.data?.errors ?? [])];
  const types = graphqlErrors.map((e) => e.type);
  const limited = rateLimitIn({ message, headers, graphqlTypes: types }, error);
  if (limited) return limited;
  if (status === 502 || status === 504)
    return new HeavyQueryError(`GitHub answered ${status}`, { cause: error });
  if (types.includes('NOT_FOUND') || status === 404) {
    return new RepositoryGoneError('repository not found or no longer accessible', {
      cause: error,
    });
  }
  if (types.includes('FORBIDDEN') || status === 401 || status === 403) {
    return new RepositoryGoneError(`access refused: ${message}`, { cause: error });
  }
  if (graphqlErrors.length > 0)
    return new HeavyQueryError(`GitHub answered with errors: ${message}`, { cause: error });
  return error;
}
