import { arrayList, type ConnectionArgs, connection } from './connection.ts';
import type { Dataset, SimRepository, SimUser } from './dataset.ts';
import {
  deliveryOf,
  type SimDelivery,
  type SimDeployment,
  type SimIssue,
  type SimRelease,
} from './delivery.ts';

/**
 * The delivery fields of a GraphQL Repository: its default branch and
 * commit history, its deployments with their statuses, its releases and
 * its issues.
 */
type Direction = 'ASC' | 'DESC';

interface DeploymentsArgs extends ConnectionArgs {
  environments?: string[] | null;
  orderBy?: { field: 'CREATED_AT'; direction: Direction } | null;
}

interface ReleasesArgs extends ConnectionArgs {
  orderBy?: { field: 'CREATED_AT' | 'NAME'; direction: Direction } | null;
}

interface IssuesArgs extends ConnectionArgs {
  orderBy?: { field: 'CREATED_AT' | 'UPDATED_AT' | 'COMMENTS'; direction: Direction } | null;
  filterBy?: { since?: string | null; labels?: string[] | null; states?: string[] | null } | null;
  labels?: string[] | null;
  states?: string[] | null;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function deliveryFields(
  dataset: Dataset,
  repo: SimRepository,
  actor: (user: SimUser) => object,
) {
  const delivery = () => deliveryOf(dataset, repo);
  return {
    defaultBranchRef: () => {
      const { branch } = delivery();
      return {
        __typename: 'Ref',
        name: 'main',
        prefix: 'refs/heads/',
        target: commit(delivery(), branch.length - 1),
      };
    },
    object: ({ oid }: { oid?: string | null }) => {
      const index = delivery().branch.findIndex((found) => found.oid === oid);
      return index >= 0 ? commit(delivery(), index) : null;
    },
    deployments: (args: DeploymentsArgs) => {
      const environments = args.environments?.length ? new Set(args.environments) : undefined;
      const listed = delivery().deployments.filter(
        (deployment) => !environments || environments.has(deployment.environment),
      );
      // GitHub lists deployments oldest first unless told otherwise.
      if (args.orderBy?.direction === 'DESC') listed.reverse();
      return connection(
        arrayList(listed.map((deployment) => deploymentNode(deployment, actor))),
        args,
      );
    },
    releases: (args: ReleasesArgs) => {
      const listed = [...delivery().releases].sort((a, b) =>
        args.orderBy?.field === 'NAME'
          ? a.tagName.localeCompare(b.tagName)
          : a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id,
      );
      if (args.orderBy?.direction === 'DESC') listed.reverse();
      return connection(
        arrayList(listed.map((release) => releaseNode(delivery(), release, actor))),
        args,
      );
    },
    issues: (args: IssuesArgs) => {
      const filter = args.filterBy ?? {};
      const since = filter.since ? Date.parse(filter.since) : Number.NEGATIVE_INFINITY;
      const labels = [...(args.labels ?? []), ...(filter.labels ?? [])];
      const states = [...(args.states ?? []), ...(filter.states ?? [])];
      const by = args.orderBy?.field === 'UPDATED_AT' ? 'updatedAt' : 'createdAt';
      const listed = delivery()
        .issues.filter(
          (issue) =>
            issue.updatedAt.getTime() >= since &&
            (labels.length === 0 || issue.labels.some((label) => labels.includes(label))) &&
            (states.length === 0 || states.includes(issueState(issue))),
        )
        .sort((a, b) => a[by].getTime() - b[by].getTime() || a.number - b.number);
      if (args.orderBy?.direction === 'DESC') listed.reverse();
      return connection(arrayList(listed.map((issue) => issueNode(issue, actor))), args);
    },
  };
}

/** A commit of the default branch, whose history is every commit before it, newest first. */
function commit(delivery: SimDelivery, index: number) {
  const found = delivery.branch[index];
  if (!found) return null;
  return {
    __typename: 'Commit',
    id: Buffer.from(`Commit:${found.oid}`).toString('base64'),
    oid: found.oid,
    committedDate: iso(found.committedDate),
    history: (args: ConnectionArgs & { since?: string | null; until?: string | null }) => {
      const since = args.since ? Date.parse(args.since) : Number.NEGATIVE_INFINITY;
      const until = args.until ? Date.parse(args.until) : Number.POSITIVE_INFINITY;
      const ancestors = delivery.branch
        .slice(0, index + 1)
        .filter(
          (ancestor) =>
            ancestor.committedDate.getTime() >= since && ancestor.committedDate.getTime() <= until,
        )
        .reverse();
      return connection(
        arrayList(
          ancestors.map((ancestor) => ({
            __typename: 'Commit',
            oid: ancestor.oid,
            committedDate: iso(ancestor.committedDate),
          })),
        ),
        args,
      );
    },
  };
}

function deploymentNode(deployment: SimDeployment, actor: (user: SimUser) => object) {
  // Newest first, as GitHub lists a deployment's statuses.
  const statuses = [...deployment.statuses].reverse().map((status) => ({
    __typename: 'DeploymentStatus',
    state: status.state.toUpperCase(),
    createdAt: iso(status.createdAt),
  }));
  return {
    __typename: 'Deployment',
    id: Buffer.from(`Deployment:${deployment.id}`).toString('base64'),
    databaseId: deployment.id,
    environment: deployment.environment,
    commitOid: deployment.sha,
    createdAt: iso(deployment.createdAt),
    creator: actor(deployment.creator),
    ref: { __typename: 'Ref', name: deployment.ref, prefix: 'refs/heads/' },
    latestStatus: statuses[0] ?? null,
    statuses: (args: ConnectionArgs) => connection(arrayList(statuses), args),
  };
}

function releaseNode(delivery: SimDelivery, release: SimRelease, actor: (user: SimUser) => object) {
  return {
    __typename: 'Release',
    id: Buffer.from(`Release:${release.id}`).toString('base64'),
    databaseId: release.id,
    name: release.tagName,
    tagName: release.tagName,
    tagCommit: commit(
      delivery,
      delivery.branch.findIndex((found) => found.oid === release.sha),
    ),
    isDraft: false,
    isPrerelease: release.prerelease,
    createdAt: iso(release.createdAt),
    publishedAt: iso(release.publishedAt),
    updatedAt: iso(release.updatedAt),
    author: actor(release.author),
  };
}

function issueState(issue: SimIssue): 'OPEN' | 'CLOSED' {
  return issue.closedAt ? 'CLOSED' : 'OPEN';
}

function issueNode(issue: SimIssue, actor: (user: SimUser) => object) {
  return {
    __typename: 'Issue',
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issueState(issue),
    createdAt: iso(issue.createdAt),
    updatedAt: iso(issue.updatedAt),
    closedAt: iso(issue.closedAt),
    author: actor(issue.author),
    labels: (args: ConnectionArgs) =>
      connection(
        arrayList(issue.labels.map((name) => ({ __typename: 'Label', name, color: 'ededed' }))),
        args,
      ),
  };
}
