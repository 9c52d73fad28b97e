import type { Deployment, Release } from '../metrics/deployment.ts';
import type { BranchCommit, DeliveryFacts } from '../store/delivery-history.ts';
import type {
  DeliveryResponse,
  DeploymentNode,
  ReleaseNode,
  StatusNode,
} from './chunk-response.ts';

/**
 * The delivery stream of a repository's sync: its deployments (newest
 * first, down to the run's start), its releases (likewise), its default
 * branch's history, and its issues updated since then. Each connection has
 * its own cursor here and rides in the same request as the pull requests'
 * chunk, so one sync run reads both, under one checkpoint, budget and
 * lease. A connection absent from the checkpoint is read to its end.
 */
export interface DeliveryCheckpoint {
  /** Deployments created at or after this are read, issues updated since it; null for all. */
  since: string | null;
  deployments?: { after: string | null };
  /**
   * Releases published or edited since `since`, read newest created first:
   * at least the first page, then down to `since` (a draft made long before
   * and published now, or a pre-release made a release, is among the newest
   * created, most often).
   */
  releases?: { after: string | null };
  /**
   * The default branch, newest first from the head the run began at: GitHub
   * counts the head's ancestors (`total`), so the n-th commit read sits at
   * position total − n — stable as the branch grows.
   */
  history?: { after: null } | { head: string; total: number; read: number; after: string };
  incidents?: { after: string | null };
  /** Deployments stored by this run: its progress. */
  deploymentsRead: number;
}

export interface DeliveryPage extends DeliveryFacts {
  /** Where the stream continues; null once every connection is read. */
  next: DeliveryCheckpoint | null;
  /**
   * How far back every connection is read now: the latest of the oldest
   * times on the pages of those that continue (null once none does). A
   * first backfill's recent phase ends once this is past its edge.
   */
  readBackTo: string | null;
}

type Repository = Pick<Deployment, 'installationId' | 'repositoryId' | 'repositoryFullName'>;

/** Statuses come late: an incremental run looks a day further back for the deployments they belong to. */
const statusLookbackMs = 86_400_000;
const deploymentPage = 50;
const releasePage = 50;
const historyPage = 100;
const issuePage = 50;

/** A run's delivery stream, from where its PRs start (`since`; null for the full history). */
export function startDelivery(since: string | null): DeliveryCheckpoint {
  return {
    since: since && new Date(Date.parse(since) - statusLookbackMs).toISOString(),
    deployments: { after: null },
    releases: { after: null },
    history: { after: null },
    incidents: { after: null },
    deploymentsRead: 0,
  };
}

/** The names GitHub answers the delivery fields under: a refusal of one ends that connection only. */
export const deliveryFieldNames = [
  'deployments',
  'releases',
  'defaultBranchRef',
  'branchHead',
  'issues',
];

const literal = (value: string | null) => JSON.stringify(value);

/** The delivery fields of a chunk's `repository { … }`, for the connections not yet read. */
export function deliveryFields(checkpoint: DeliveryCheckpoint): string {
  const since = checkpoint.since;
  const fields: string[] = [];
  if (checkpoint.deployments) {
    fields.push(`deployments(first: ${deploymentPage}, after: ${literal(checkpoint.deployments.after)}, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId environment commitOid createdAt ref { name } creator { login }
        latestStatus { state createdAt }
        statuses(first: 10) { nodes { state createdAt } }
      }
    }`);
  }
  if (checkpoint.releases) {
    fields.push(`releases(first: ${releasePage}, after: ${literal(checkpoint.releases.after)}, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { databaseId tagName isDraft isPrerelease createdAt publishedAt updatedAt tagCommit { oid } author { login } }
    }`);
  }
  const history = checkpoint.history;
  if (history) {
    const page = `history(first: ${historyPage}, after: ${literal(history.after)}${since ? `, since: ${literal(since)}` : ''}) { pageInfo { hasNextPage endCursor } nodes { oid committedDate } }`;
    fields.push(
      'head' in history
        ? `branchHead: object(oid: ${literal(history.head)}) { ... on Commit { ${page} } }`
        : `defaultBranchRef { target { ... on Commit { oid ancestry: history(first: 1) { totalCount } ${page} } } }`,
    );
  }
  if (checkpoint.incidents) {
    fields.push(`issues(first: ${issuePage}, after: ${literal(checkpoint.incidents.after)}, orderBy: { field: UPDATED_AT, direction: DESC }${since ? `, filterBy: { since: ${literal(since)} }` : ''}) {
      pageInfo { hasNextPage endCursor }
      nodes { number title body createdAt updatedAt closedAt labels(first: 20) { nodes { name } } }
    }`);
  }
  return fields.join('\n    ');
}

/** Reads one answer of the delivery fields: what to store, and where each connection continues. */
export function readDeliveryPage(
  repository: Repository,
  checkpoint: DeliveryCheckpoint,
  response: DeliveryResponse,
): DeliveryPage {
  const next: DeliveryCheckpoint = {
    since: checkpoint.since,
    deploymentsRead: checkpoint.deploymentsRead,
  };
  const since = checkpoint.since ? Date.parse(checkpoint.since) : Number.NEGATIVE_INFINITY;

  const deploymentNodes = checkpoint.deployments
    ? (response.deployments?.nodes ?? []).filter((node): node is DeploymentNode =>
        Boolean(node?.databaseId),
      )
    : [];
  // The page that crosses `since` holds older ones too: they are the previous run's, or outside the window.
  const deployments = deploymentNodes
    .filter((node) => Date.parse(node.createdAt) >= since)
    .map((node) => deploymentFrom(repository, node));
  next.deploymentsRead += deployments.length;
  const oldest = deploymentNodes.at(-1);
  if (
    response.deployments?.pageInfo.hasNextPage &&
    oldest &&
    Date.parse(oldest.createdAt) >= since
  ) {
    next.deployments = { after: response.deployments.pageInfo.endCursor };
  }

  const releasesPage = checkpoint.releases ? response.releases : undefined;
  const releaseNodes = (releasesPage?.nodes ?? []).filter((node): node is ReleaseNode =>
    Boolean(node?.databaseId),
  );
  // Only what is published counts, and only what has a commit (a tag can be deleted under its
  // release); what was published and last edited (a pre-release made a release) before the
  // run's start is the previous run's.
  const releases = releaseNodes.flatMap((node) =>
    !node.isDraft &&
    node.publishedAt &&
    Math.max(Date.parse(node.publishedAt), Date.parse(node.updatedAt)) >= since &&
    node.tagCommit
      ? [releaseFrom(repository, node, node.publishedAt, node.tagCommit.oid)]
      : [],
  );
  const oldestRelease = releaseNodes.at(-1);
  if (
    releasesPage?.pageInfo.hasNextPage &&
    oldestRelease &&
    Date.parse(oldestRelease.createdAt) >= since
  ) {
    next.releases = { after: releasesPage.pageInfo.endCursor };
  }

  let branch: BranchCommit[] = [];
  const history = checkpoint.history;
  if (history) {
    const target = 'head' in history ? undefined : response.defaultBranchRef?.target;
    const at =
      'head' in history
        ? { head: history.head, total: history.total, read: history.read }
        : target?.oid && target.ancestry
          ? { head: target.oid, total: target.ancestry.totalCount, read: 0 }
          : undefined;
    const page = 'head' in history ? response.branchHead?.history : target?.history;
    if (at && page) {
      branch = page.nodes.map((node, index) => ({
        position: at.total - at.read - index,
        sha: node.oid,
        committedAt: node.committedDate,
      }));
      if (page.pageInfo.hasNextPage && page.pageInfo.endCursor) {
        next.history = { ...at, read: at.read + page.nodes.length, after: page.pageInfo.endCursor };
      }
    }
  }

  const issuesPage = checkpoint.incidents ? response.issues : undefined;
  const issues = (issuesPage?.nodes ?? []).flatMap((node) =>
    node
      ? [
          {
            number: node.number,
            title: node.title,
            body: node.body,
            labels: (node.labels?.nodes ?? []).map((label) => label.name),
            openedAt: node.createdAt,
            closedAt: node.closedAt,
          },
        ]
      : [],
  );
  if (issuesPage?.pageInfo.hasNextPage) next.incidents = { after: issuesPage.pageInfo.endCursor };

  const more = next.deployments || next.releases || next.history || next.incidents;
  // Each continuing connection is read back to its page's oldest node (in its own order).
  const reached = [
    next.deployments && earliest(deploymentNodes.map((node) => node.createdAt)),
    next.releases && earliest(releaseNodes.map((node) => node.createdAt)),
    next.history && earliest(branch.map((commit) => commit.committedAt)),
    next.incidents && earliest((issuesPage?.nodes ?? []).map((node) => node?.updatedAt)),
  ].filter((at) => at !== undefined);
  return {
    deployments,
    releases,
    branch,
    issues,
    next: more ? next : null,
    readBackTo: reached.length > 0 ? latest(reached) : null,
  };
}

/** The earliest of a page's times; a page that shows none is read back to nothing yet. */
function earliest(times: readonly (string | null | undefined)[]): string {
  const known = times.filter((at): at is string => Boolean(at)).map(Date.parse);
  return new Date(known.length > 0 ? Math.min(...known) : Date.now()).toISOString();
}

const latest = (times: readonly string[]) =>
  new Date(Math.max(...times.map(Date.parse))).toISOString();

function releaseFrom(
  repository: Repository,
  node: ReleaseNode,
  publishedAt: string,
  sha: string,
): Release {
  return {
    installationId: repository.installationId,
    repositoryId: repository.repositoryId,
    repositoryFullName: repository.repositoryFullName,
    releaseId: node.databaseId as number,
    tagName: node.tagName,
    sha,
    authorLogin: node.author?.login ?? null,
    publishedAt,
    prerelease: node.isPrerelease,
  };
}

function deploymentFrom(repository: Repository, node: DeploymentNode): Deployment {
  const deploymentId = node.databaseId as number;
  // The latest status is asked for apart: a deployment with more than ten still shows how it ended.
  const seen = new Map<string, StatusNode>();
  for (const status of [...(node.statuses?.nodes ?? []), node.latestStatus]) {
    if (status) seen.set(`${status.createdAt}#${status.state}`, status);
  }
  return {
    installationId: repository.installationId,
    repositoryId: repository.repositoryId,
    repositoryFullName: repository.repositoryFullName,
    deploymentId,
    environment: node.environment ?? '',
    sha: node.commitOid,
    ref: node.ref?.name ?? '',
    creatorLogin: node.creator?.login ?? null,
    createdAt: node.createdAt,
    statuses: [...seen.values()]
      .map((status) => ({
        deploymentId,
        // GraphQL's states are enum names; webhooks send them in lower case.
        state: status.state.toLowerCase(),
        createdAt: status.createdAt,
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  };
}
