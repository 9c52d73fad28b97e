/** The shapes GitHub's GraphQL answers a chunk query (`chunk-query.ts`) with. */

export interface GraphqlActor {
  __typename: string;
  login: string;
  databaseId?: number | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ReviewNode {
  databaseId: number;
  state: string;
  submittedAt: string | null;
  author: GraphqlActor | null;
}

export interface CommitNode {
  commit: { authoredDate: string; committedDate: string; message: string };
}

export interface PullRequestNode {
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  baseRefName: string;
  author: GraphqlActor | null;
  labels: { nodes: { name: string }[] };
  timelineItems: { nodes: ({ createdAt?: string } | null)[] };
  reviews: { totalCount: number; pageInfo: PageInfo; nodes: ReviewNode[] };
  commits: { totalCount: number; pageInfo: PageInfo; nodes: CommitNode[] };
}

export interface RateLimitInfo {
  cost: number;
  remaining: number;
  resetAt: string;
}

export interface FollowUpNode {
  reviews?: { pageInfo: PageInfo; nodes: ReviewNode[] };
  commits?: { pageInfo: PageInfo; nodes: CommitNode[] };
}

export interface ChunkResponse {
  repository:
    | ({
        pullRequests?: { totalCount: number; pageInfo: PageInfo; nodes: PullRequestNode[] };
      } & { [alias: `pr${number}`]: FollowUpNode | null })
    | null;
  windowCount?: { issueCount: number } | null;
  rateLimit: RateLimitInfo;
}
