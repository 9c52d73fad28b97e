import type { RateLimitInfo } from '../github/rate-limited.ts';

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
  /** GitHub's BigInt, as a decimal string. */
  fullDatabaseId: string;
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
  headRefName: string;
  mergeCommit: { oid: string } | null;
  author: GraphqlActor | null;
  /** A connection is null where GitHub refused it to the App (a FORBIDDEN in a partial answer). */
  labels: { nodes: { name: string }[] } | null;
  timelineItems: { nodes: ({ createdAt?: string } | null)[] } | null;
  reviews: { totalCount: number; pageInfo: PageInfo; nodes: ReviewNode[] } | null;
  commits: { totalCount: number; pageInfo: PageInfo; nodes: CommitNode[] } | null;
}

export interface FollowUpNode {
  reviews?: { pageInfo: PageInfo; nodes: ReviewNode[] };
  commits?: { pageInfo: PageInfo; nodes: CommitNode[] };
  /** GraphQL's assignees are users only: an agent that assigned itself is not among them. */
  assignees?: { nodes: ({ databaseId: number | null; login: string } | null)[] } | null;
}

export interface ChunkResponse {
  repository:
    | (DeliveryResponse & {
        /** Which repository the name resolved to: checked against the one being synced. */
        databaseId: number;
        /** A node is null where a refused non-null field of it voided the whole PR. */
        pullRequests?: {
          totalCount: number;
          pageInfo: PageInfo;
          nodes: (PullRequestNode | null)[];
        };
      } & { [alias: `pr${number}`]: FollowUpNode | null })
    | null;
  windowCount?: { issueCount: number } | null;
  checkCount?: { issueCount: number } | null;
  rateLimit: RateLimitInfo;
}

export interface StatusNode {
  state: string;
  createdAt: string;
}

export interface DeploymentNode {
  databaseId: number | null;
  environment: string | null;
  commitOid: string;
  createdAt: string;
  ref: { name: string } | null;
  creator: { login: string } | null;
  latestStatus: StatusNode | null;
  statuses: { nodes: (StatusNode | null)[] } | null;
}

export interface ReleaseNode {
  databaseId: number | null;
  tagName: string;
  isDraft: boolean;
  isPrerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
  tagCommit: { oid: string } | null;
  author: { login: string } | null;
}

interface HistoryNode {
  pageInfo: PageInfo;
  nodes: { oid: string; committedDate: string }[];
}

interface IssueNode {
  number: number;
  title: string;
  body: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  labels: { nodes: { name: string }[] } | null;
}

/** The delivery fields (`delivery-stream.ts`) as GitHub answers them; null where refused or absent. */
export interface DeliveryResponse {
  deployments?: { pageInfo: PageInfo; nodes: (DeploymentNode | null)[] } | null;
  releases?: { pageInfo: PageInfo; nodes: (ReleaseNode | null)[] } | null;
  defaultBranchRef?: {
    target: { oid?: string; ancestry?: { totalCount: number }; history?: HistoryNode } | null;
  } | null;
  branchHead?: { history?: HistoryNode } | null;
  issues?: { pageInfo: PageInfo; nodes: (IssueNode | null)[] } | null;
}
