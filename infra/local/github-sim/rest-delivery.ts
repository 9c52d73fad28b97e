import type { Dataset, SimCommit, SimRepository } from './dataset.ts';
import type {
  SimBranchCommit,
  SimDeployment,
  SimDeploymentStatus,
  SimIssue,
  SimRelease,
} from './delivery.ts';
import { api, nodeId, restCommit, restUser, web } from './rest-objects.ts';

/** Deployments, their statuses, default-branch commits, releases, tags and issues as GitHub's REST API gives them. */
export function restDeployment(repo: SimRepository, deployment: SimDeployment) {
  const url = `${api}/repos/${repo.fullName}/deployments/${deployment.id}`;
  const created = deployment.createdAt.toISOString();
  return {
    url,
    id: deployment.id,
    node_id: nodeId('Deployment', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: 'deploy',
    payload: {},
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: null,
    creator: restUser(deployment.creator),
    created_at: created,
    updated_at: deployment.statuses.at(-1)?.createdAt.toISOString() ?? created,
    statuses_url: `${url}/statuses`,
    repository_url: `${api}/repos/${repo.fullName}`,
    transient_environment: false,
    production_environment: deployment.environment === 'production',
  };
}

export function restDeploymentStatus(
  repo: SimRepository,
  deployment: SimDeployment,
  status: SimDeploymentStatus,
) {
  const deploymentUrl = `${api}/repos/${repo.fullName}/deployments/${deployment.id}`;
  // A status's id: its deployment's and its place, as no two share one.
  const id = deployment.id * 10 + deployment.statuses.indexOf(status);
  return {
    url: `${deploymentUrl}/statuses/${id}`,
    id,
    node_id: nodeId('DeploymentStatus', id),
    state: status.state,
    creator: restUser(deployment.creator),
    description: '',
    environment: deployment.environment,
    target_url: `${web}/${repo.fullName}/actions/runs/${deployment.id}`,
    log_url: `${web}/${repo.fullName}/actions/runs/${deployment.id}`,
    environment_url: `https://${deployment.environment}.example.com`,
    created_at: status.createdAt.toISOString(),
    updated_at: status.createdAt.toISOString(),
    deployment_url: deploymentUrl,
    repository_url: `${api}/repos/${repo.fullName}`,
  };
}

/** A default-branch commit: the merge of its pull request, made by the PR's author. */
export function restBranchCommit(dataset: Dataset, repo: SimRepository, commit: SimBranchCommit) {
  const pr =
    commit.pullRequest === null ? undefined : dataset.pullRequest(repo, commit.pullRequest);
  const made: SimCommit = {
    oid: commit.oid,
    author: pr?.author ?? repo.owner,
    authoredDate: commit.committedDate,
    committedDate: commit.committedDate,
    message: pr ? `${pr.title} (#${pr.number})` : 'Initial commit',
  };
  return restCommit(repo.fullName, made);
}

export function restRelease(repo: SimRepository, release: SimRelease) {
  const url = `${api}/repos/${repo.fullName}/releases/${release.id}`;
  return {
    url,
    html_url: `${web}/${repo.fullName}/releases/tag/${release.tagName}`,
    assets_url: `${url}/assets`,
    upload_url: `https://uploads.github.com/repos/${repo.fullName}/releases/${release.id}/assets{?name,label}`,
    tarball_url: `${api}/repos/${repo.fullName}/tarball/${release.tagName}`,
    zipball_url: `${api}/repos/${repo.fullName}/zipball/${release.tagName}`,
    id: release.id,
    node_id: nodeId('Release', release.id),
    tag_name: release.tagName,
    target_commitish: 'main',
    name: release.tagName,
    body: null,
    draft: false,
    prerelease: release.prerelease,
    created_at: release.createdAt.toISOString(),
    published_at: release.publishedAt.toISOString(),
    author: restUser(release.author),
    assets: [],
  };
}

/** A tag, as `GET /repos/{owner}/{repo}/tags` lists it: the commit a release's tag points at. */
export function restTag(repo: SimRepository, release: SimRelease) {
  return {
    name: release.tagName,
    commit: { sha: release.sha, url: `${api}/repos/${repo.fullName}/commits/${release.sha}` },
    zipball_url: `${api}/repos/${repo.fullName}/zipball/refs/tags/${release.tagName}`,
    tarball_url: `${api}/repos/${repo.fullName}/tarball/refs/tags/${release.tagName}`,
    node_id: nodeId('Ref', `refs/tags/${release.tagName}`),
  };
}

export function restIssue(repo: SimRepository, issue: SimIssue) {
  const url = `${api}/repos/${repo.fullName}/issues/${issue.number}`;
  const id = 700_000_000 + issue.number;
  return {
    id,
    node_id: nodeId('Issue', id),
    url,
    repository_url: `${api}/repos/${repo.fullName}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${web}/${repo.fullName}/issues/${issue.number}`,
    number: issue.number,
    state: issue.closedAt ? 'closed' : 'open',
    ...(issue.closedAt && { state_reason: 'completed' }),
    title: issue.title,
    body: issue.body,
    user: restUser(issue.author),
    labels: issue.labels.map((name) => ({
      id: 800_000_000 + name.length,
      node_id: nodeId('Label', name),
      url: `${api}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
      name,
      description: null,
      color: 'ededed',
      default: false,
    })),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: 0,
    closed_at: issue.closedAt?.toISOString() ?? null,
    created_at: issue.createdAt.toISOString(),
    updated_at: issue.updatedAt.toISOString(),
    author_association: 'MEMBER',
  };
}
