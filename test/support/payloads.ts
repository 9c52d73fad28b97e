/** Small, valid webhook payloads for one installation, built as GitHub shapes them. */
export const account = { id: 100, login: 'acme', type: 'Organization' };

/** A repository as an event about it carries it; `updatedAt` is GitHub's `updated_at`, absent by default. */
export function repository(id: number, name = `repo-${id}`, updatedAt?: string) {
  return {
    id,
    node_id: `R_${id}`,
    name,
    full_name: `acme/${name}`,
    private: false,
    owner: account,
    ...(updatedAt && { updated_at: updatedAt }),
  };
}

/** The installation as its events carry it; `updatedAt` is GitHub's `updated_at`, absent by default. */
function installation(installationId: number, updatedAt?: string) {
  return {
    id: installationId,
    account,
    repository_selection: 'selected',
    ...(updatedAt && { updated_at: updatedAt }),
  };
}

export function installationPayload(
  action: string,
  installationId: number,
  repositories: ReturnType<typeof repository>[] = [],
  updatedAt?: string,
) {
  return {
    action,
    installation: installation(installationId, updatedAt),
    repositories,
    sender: { id: 1, login: 'admin', type: 'User' },
  };
}

export function repositoriesChangedPayload(
  installationId: number,
  added: ReturnType<typeof repository>[],
  removed: ReturnType<typeof repository>[] = [],
  updatedAt?: string,
) {
  return {
    action: added.length > 0 ? 'added' : 'removed',
    installation: installation(installationId, updatedAt),
    repository_selection: 'selected',
    repositories_added: added,
    repositories_removed: removed,
    sender: { id: 1, login: 'admin', type: 'User' },
  };
}

export function pullRequestPayload(
  installationId: number,
  repo: ReturnType<typeof repository>,
  pr: { number: number; updatedAt: string; title?: string; mergedAt?: string | null },
) {
  return {
    action: pr.mergedAt ? 'closed' : 'opened',
    number: pr.number,
    installation: { id: installationId },
    repository: repo,
    pull_request: {
      id: pr.number * 1000,
      number: pr.number,
      title: pr.title ?? `Change ${pr.number}`,
      state: pr.mergedAt ? 'closed' : 'open',
      draft: false,
      user: { id: 501, login: 'author', type: 'User' },
      created_at: '2026-11-01T08:00:00Z',
      updated_at: pr.updatedAt,
      closed_at: pr.mergedAt ?? null,
      merged_at: pr.mergedAt ?? null,
      labels: [],
      base: { ref: 'main' },
      additions: 12,
      deletions: 3,
      changed_files: 2,
      commits: 1,
    },
    sender: { id: 501, login: 'author', type: 'User' },
  };
}

/** A review event's payload: its pull request copy lacks the size facts, as GitHub's does. */
export function reviewPayload(
  event: ReturnType<typeof pullRequestPayload>,
  review: {
    id: number;
    user: { id: number; login: string; type: string };
    state: string;
    submittedAt: string;
  },
  action = 'submitted',
) {
  const {
    additions: _a,
    deletions: _d,
    changed_files: _c,
    commits: _n,
    ...pullRequest
  } = event.pull_request;
  return {
    action,
    installation: event.installation,
    repository: event.repository,
    pull_request: pullRequest,
    review: {
      id: review.id,
      user: review.user,
      state: review.state,
      submitted_at: review.submittedAt,
    },
  };
}

export function deploymentPayload(
  installationId: number,
  repo: ReturnType<typeof repository>,
  deployment: { id: number; sha: string; environment: string; createdAt: string },
  status?: { id: number; state: string; createdAt: string },
) {
  return {
    action: 'created',
    installation: { id: installationId },
    repository: repo,
    deployment: {
      id: deployment.id,
      sha: deployment.sha,
      ref: 'main',
      task: 'deploy',
      environment: deployment.environment,
      creator: { id: 41898282, login: 'github-actions[bot]', type: 'Bot' },
      created_at: deployment.createdAt,
      updated_at: deployment.createdAt,
    },
    ...(status && {
      deployment_status: {
        id: status.id,
        state: status.state,
        environment: deployment.environment,
        created_at: status.createdAt,
        updated_at: status.createdAt,
      },
    }),
    sender: { id: 41898282, login: 'github-actions[bot]', type: 'Bot' },
  };
}

/** An `issues` event as GitHub sends it, with the issue's labels by name. */
export function issuePayload(
  action: string,
  installationId: number,
  repo: ReturnType<typeof repository>,
  issue: {
    number: number;
    title: string;
    body?: string;
    labels: string[];
    createdAt: string;
    closedAt?: string;
    /** GitHub's `updated_at`; by default the latest of its other times. */
    updatedAt?: string;
  },
) {
  return {
    action,
    installation: { id: installationId },
    repository: repo,
    issue: {
      number: issue.number,
      title: issue.title,
      body: issue.body ?? null,
      state: issue.closedAt ? 'closed' : 'open',
      labels: issue.labels.map((name, i) => ({ id: 500 + i, name, color: 'd73a4a' })),
      user: account,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt ?? issue.closedAt ?? issue.createdAt,
      closed_at: issue.closedAt ?? null,
    },
    sender: account,
  };
}

/** A `release` event; `updatedAt` is GitHub's `updated_at` of the release. */
export function releasePayload(
  action: string,
  installationId: number,
  repo: ReturnType<typeof repository>,
  release: { id: number; tagName: string; publishedAt: string | null; updatedAt: string },
) {
  return {
    action,
    installation: { id: installationId },
    repository: repo,
    release: {
      id: release.id,
      tag_name: release.tagName,
      draft: release.publishedAt === null,
      prerelease: false,
      created_at: '2026-11-01T08:00:00Z',
      published_at: release.publishedAt,
      updated_at: release.updatedAt,
    },
    sender: account,
  };
}
