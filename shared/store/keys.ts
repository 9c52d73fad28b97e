import { table } from '../resources.ts';

/**
 * Every key of the single table. Tenant data lives under `INST#<id>` so one
 * installation's items never share a partition with another's.
 */
export type ItemKey = Record<string, string>;

function key(partition: string, sort: string): ItemKey {
  return { [table.partitionKey]: partition, [table.sortKey]: sort };
}

const [listingIndex] = table.indexes;

/** gsi1 partition that lists every installation. */
export const installationListingPartition = 'INSTALLATIONS';

/** Zero-padded so a repository's numbered items (PRs, branch positions, issues) sort by number. */
function sortableNumber(number: number): string {
  return String(number).padStart(10, '0');
}

/** Zero-padded so deployments (or releases) of one millisecond sort by id. */
function deploymentNumber(id: number): string {
  return String(id).padStart(15, '0');
}

/** GitHub's times in one spelling, so the webhook's and the sync's make one key. */
function instant(at: string): string {
  return new Date(at).toISOString();
}

export const keys = {
  installation: (installationId: number) => key(`INST#${installationId}`, 'INSTALLATION'),
  /** Listing entry on gsi1: every installation, in id order. */
  installationListing: (installationId: number) => ({
    [listingIndex.partitionKey]: installationListingPartition,
    [listingIndex.sortKey]: `INST#${String(installationId).padStart(12, '0')}`,
  }),
  repository: (installationId: number, repositoryId: number) =>
    key(`INST#${installationId}`, `REPO#${repositoryId}`),
  repositoryPrefix: (installationId: number) => ({
    partition: `INST#${installationId}`,
    sortPrefix: 'REPO#',
  }),
  pullRequest: (installationId: number, repositoryId: number, number: number) =>
    key(keys.pullRequestPartition(installationId, repositoryId), `PR#${sortableNumber(number)}`),
  /** Where a repository's pull requests are, in its partition. */
  pullRequestsOf: (installationId: number, repositoryId: number) => ({
    partition: keys.pullRequestPartition(installationId, repositoryId),
    sortPrefix: 'PR#',
  }),
  delivery: (deliveryId: string) => key(`DELIVERY#${deliveryId}`, 'DELIVERY'),
  /** The one redelivery Flowmeter asked GitHub for. */
  redelivery: (deliveryId: string) => key(`DELIVERY#${deliveryId}`, 'REDELIVERY'),
  /** The installation's GitHub GraphQL budget, which all its sync workers share (`github-budget.ts`). */
  githubBudget: (installationId: number) => key(`INST#${installationId}`, 'GITHUB_BUDGET'),
  /** GraphQL points the installation's workers claimed in one minute (epoch minutes); TTL removes it. */
  githubMinute: (installationId: number, minute: number) =>
    key(`INST#${installationId}`, `GITHUB_MINUTE#${minute}`),
  /** A week whose rollup must be recomputed because data in it changed. */
  dirtyWeek: (installationId: number, week: string) =>
    key(`INST#${installationId}`, `DIRTYWEEK#${week}`),
  /** Partition of the byOpened / byClosed indexes: one installation's PRs, ordered by time. */
  installationPullRequests: (installationId: number) => `INST#${installationId}`,
  /** A review of a pull request whose reviews are kept apart from its item (`pull-request-reviews.ts`). */
  review: (installationId: number, repositoryId: number, number: number, reviewId: number) =>
    key(
      keys.pullRequestPartition(installationId, repositoryId),
      `REVIEW#${sortableNumber(number)}#${reviewId}`,
    ),
  /** Where one pull request's reviews kept apart start, in its repository's partition. */
  reviewsOf: (installationId: number, repositoryId: number, number: number) => ({
    partition: keys.pullRequestPartition(installationId, repositoryId),
    sortPrefix: `REVIEW#${sortableNumber(number)}#`,
  }),
  /**
   * A deployment of the repository, beside its pull requests, in the order
   * they were made: a week's rollup reads a time range, not them all.
   */
  deployment: (
    installationId: number,
    repositoryId: number,
    deployment: { deploymentId: number; createdAt: string },
  ) =>
    key(
      keys.pullRequestPartition(installationId, repositoryId),
      `DEPLOY#${instant(deployment.createdAt)}#${deploymentNumber(deployment.deploymentId)}`,
    ),
  /**
   * One status of a deployment, right after it: an item each, so
   * redeliveries and any number of statuses stay idempotent and small; known
   * by time and state, which the webhook and the GraphQL sync both give.
   */
  deploymentStatus: (
    installationId: number,
    repositoryId: number,
    deployment: { deploymentId: number; createdAt: string },
    status: { createdAt: string; state: string },
  ) =>
    key(
      keys.pullRequestPartition(installationId, repositoryId),
      `${keys.deployment(installationId, repositoryId, deployment)[table.sortKey]}#STATUS#${instant(status.createdAt)}#${status.state}`,
    ),
  /** A published release of the repository, in the order they were published. */
  release: (
    installationId: number,
    repositoryId: number,
    release: { releaseId: number; publishedAt: string },
  ) =>
    key(
      keys.pullRequestPartition(installationId, repositoryId),
      `RELEASE#${instant(release.publishedAt)}#${deploymentNumber(release.releaseId)}`,
    ),
  /** A commit of the default branch, in commit-time order, with its place in the history (the first commit is 1). */
  branchCommit: (
    installationId: number,
    repositoryId: number,
    commit: { committedAt: string; position: number },
  ) =>
    key(
      keys.pullRequestPartition(installationId, repositoryId),
      `BRANCH#${instant(commit.committedAt)}#${sortableNumber(commit.position)}`,
    ),
  /**
   * Sort-key bounds of a repository's deployments (with their statuses) made,
   * releases published, or default-branch commits committed, between two
   * times; the whole history without them.
   */
  timeRange: (
    installationId: number,
    repositoryId: number,
    kind: 'DEPLOY' | 'RELEASE' | 'BRANCH',
    between?: { from: Date; to: Date },
  ) => ({
    partition: keys.pullRequestPartition(installationId, repositoryId),
    from: `${kind}#${between?.from.toISOString() ?? ''}`,
    // "~" sorts after every character a key continues with.
    to: `${kind}#${between?.to.toISOString() ?? ''}~`,
  }),
  /** An issue of the repository its installation counts as an incident. */
  incident: (installationId: number, repositoryId: number, number: number) =>
    key(
      keys.pullRequestPartition(installationId, repositoryId),
      `INCIDENT#${sortableNumber(number)}`,
    ),
  /** Where a repository's incidents start. */
  incidentsOf: (installationId: number, repositoryId: number) => ({
    partition: keys.pullRequestPartition(installationId, repositoryId),
    sortPrefix: 'INCIDENT#',
  }),
  /** The partition holding a repository's pull requests. */
  pullRequestPartition: (installationId: number, repositoryId: number) =>
    `INST#${installationId}#REPO#${repositoryId}`,
  /** The installation and repository a pull request's partition names (its item carries them nowhere else). */
  pullRequestOwner: (partition: string) => {
    const [, installationId, , repositoryId] = partition.split('#');
    return { installationId: Number(installationId), repositoryId: Number(repositoryId) };
  },
  /** The partition holding an installation's weekly metric rows. */
  weeklyMetricsPartition: (installationId: number) => `INST#${installationId}#METRICS`,
  /** The partition holding the installation item, its repositories, marks and sent emails. */
  installationPartition: (installationId: number) => `INST#${installationId}`,
  /** One row of a week's metrics: the organisation's, a GitHub team's (`team#<id>`), a repository's (`repo#<id>`) or an author's (`author#<id>`). */
  weeklyMetrics: (installationId: number, week: string, row: string) =>
    key(keys.weeklyMetricsPartition(installationId), `${week}#${row}`),
  /** The partition holding an installation's Copilot usage: report days and users' days. */
  copilotPartition: (installationId: number) => `INST#${installationId}#COPILOT`,
  /** One report day of Copilot usage: what GitHub answered for it, and the organisation's totals. */
  copilotDay: (installationId: number, day: string) =>
    key(keys.copilotPartition(installationId), `DAY#${day}`),
  /** One user's Copilot use on one day. */
  copilotUserDay: (installationId: number, day: string, userId: number) =>
    key(keys.copilotPartition(installationId), `USER#${day}#${userId}`),
  /** A GitHub team of the installation's organisation, kept after it is deleted (`teams.ts`). */
  team: (installationId: number, teamId: number) =>
    key(`INST#${installationId}`, `TEAM#${sortableNumber(teamId)}`),
  /**
   * One person's membership of one team over time: their spells in it. Under
   * a prefix of its own, not the team's, so the team items are one short
   * Query without their members, and one team's members another.
   */
  teamMember: (installationId: number, teamId: number, userId: number) =>
    key(
      `INST#${installationId}`,
      `${keys.membersOf(installationId, teamId).sortPrefix}${sortableNumber(userId)}`,
    ),
  /** Where the installation's teams are (`TEAM#`) and everyone's memberships (`TEAMMEMBER#`). */
  teamsOf: (installationId: number) => ({
    partition: `INST#${installationId}`,
    teams: 'TEAM#',
    memberships: 'TEAMMEMBER#',
  }),
  /** Where the memberships of one team are. */
  membersOf: (installationId: number, teamId: number) => ({
    partition: `INST#${installationId}`,
    sortPrefix: `TEAMMEMBER#${sortableNumber(teamId)}#`,
  }),
  /**
   * gsi1 partition of the installation's open, ready-for-review PRs and the
   * review requests to teams on them: the waiting list is one Query of it.
   */
  openPullRequests: (installationId: number) => `INST#${installationId}#OPEN`,
  /** A review request of one pull request to one team, beside the PR (`review-requests.ts`). */
  reviewRequest: (installationId: number, repositoryId: number, number: number, teamId: number) =>
    key(
      keys.pullRequestPartition(installationId, repositoryId),
      `REVIEWREQ#${sortableNumber(number)}#${sortableNumber(teamId)}`,
    ),
  /** Where one pull request's review requests to teams are. */
  reviewRequestsOf: (installationId: number, repositoryId: number, number: number) => ({
    partition: keys.pullRequestPartition(installationId, repositoryId),
    sortPrefix: `REVIEWREQ#${sortableNumber(number)}#`,
  }),
  /** A person signed in to the dashboard: their GitHub token stays here, the browser holds the id. */
  session: (sessionId: string) => key(`SESSION#${sessionId}`, 'SESSION'),
  /** An email to one recipient: sent, or being sent (`EMAIL#<kind>:<run>#<address>`). */
  sentEmail: (installationId: number, emailKey: string, recipient: string) =>
    key(`INST#${installationId}`, `EMAIL#${emailKey}#${recipient}`),
} as const;

export const listingIndexName = listingIndex.name;
export const listingIndexKeys = listingIndex;
