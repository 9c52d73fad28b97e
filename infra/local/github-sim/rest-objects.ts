import { createHash } from 'node:crypto';
import {
  mergeCommitSha,
  type SimCommit,
  type SimPullRequest,
  type SimRepository,
  type SimReview,
  type SimUser,
} from './dataset.ts';
import type { RateLimitState } from './rate-limits.ts';

/**
 * REST resources in the shapes GitHub's OpenAPI description gives them
 * (@octokit/openapi, api.github.com): every required property present, with
 * the type it is declared with. A test validates them against that description.
 */
export const api = 'https://api.github.com';
export const web = 'https://github.com';

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64');
}

function sha(...parts: (string | number)[]): string {
  return createHash('sha1').update(parts.join(':')).digest('hex');
}

export function restUser(user: SimUser) {
  const shown = user.restLogin ?? user.login;
  // Bot logins carry "[bot]", which URLs percent-encode.
  const login = encodeURIComponent(shown);
  const url = `${api}/users/${login}`;
  return {
    login: shown,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'Bot' : 'User', user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${web}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The signed-in person as `GET /user` shows them: `public-user`, no private profile fields. */
export function restPublicUser(user: SimUser) {
  return {
    ...restUser(user),
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2020-01-06T09:00:00Z',
    updated_at: '2020-01-06T09:00:00Z',
  };
}

export function restRepository(repo: SimRepository) {
  const url = `${api}/repos/${repo.fullName}`;
  const created = repo.createdAt.toISOString();
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: restUser(repo.owner),
    html_url: `${web}/${repo.fullName}`,
    description: null,
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${repo.fullName}.git`,
    hooks_url: `${url}/hooks`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${repo.fullName}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${web}/${repo.fullName}.git`,
    mirror_url: null,
    svn_url: `${web}/${repo.fullName}`,
    homepage: null,
    language: 'TypeScript',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1024,
    default_branch: 'main',
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: created,
    created_at: created,
    updated_at: created,
    license: null,
    network_count: 0,
    subscribers_count: 0,
    permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
  };
}

function branch(pr: SimPullRequest, ref: string) {
  return {
    label: `${pr.repository.owner.login}:${ref}`,
    ref,
    sha: sha(pr.repository.id, pr.number, ref),
    user: restUser(pr.repository.owner),
    repo: restRepository(pr.repository),
  };
}

/** The list form (`pull-request-simple`) or, with `full`, the single-PR form. */
export function restPullRequest(pr: SimPullRequest, full: boolean) {
  const url = `${api}/repos/${pr.repository.fullName}/pulls/${pr.number}`;
  const html = `${web}/${pr.repository.fullName}/pull/${pr.number}`;
  const issue = `${api}/repos/${pr.repository.fullName}/issues/${pr.number}`;
  const head = branch(pr, pr.headRefName);
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const simple = {
    url,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/repos/${pr.repository.fullName}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api}/repos/${pr.repository.fullName}/statuses/${head.sha}`,
    number: pr.number,
    state: pr.state === 'OPEN' ? 'open' : 'closed',
    locked: false,
    title: pr.title,
    user: restUser(pr.author),
    body: null,
    labels: pr.labels.map((name, index) => ({
      id: 900_000 + index,
      node_id: nodeId('Label', name),
      url: `${api}/repos/${pr.repository.fullName}/labels/${name}`,
      name,
      description: `${name} work`,
      color: 'ededed',
      default: false,
    })),
    milestone: null,
    active_lock_reason: null,
    created_at: iso(pr.createdAt) as string,
    updated_at: iso(pr.updatedAt) as string,
    closed_at: iso(pr.closedAt),
    merged_at: iso(pr.mergedAt),
    merge_commit_sha: mergeCommitSha(pr),
    assignee: pr.assignees[0] ? restUser(pr.assignees[0]) : null,
    assignees: pr.assignees.map(restUser),
    requested_reviewers: [],
    requested_teams: [],
    head,
    base: branch(pr, 'main'),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/repos/${pr.repository.fullName}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/repos/${pr.repository.fullName}/statuses/${head.sha}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: pr.isDraft,
  };
  if (!full) return simple;
  return {
    ...simple,
    merged: pr.state === 'MERGED',
    mergeable: pr.state === 'OPEN' ? true : null,
    rebaseable: pr.state === 'OPEN' ? true : null,
    mergeable_state: pr.state === 'OPEN' ? 'clean' : 'unknown',
    merged_by: pr.state === 'MERGED' ? restUser(pr.author) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commitCount,
    additions: pr.additions,
    deletions: pr.deletions,
    changed_files: pr.changedFiles,
  };
}

export function restReview(pr: SimPullRequest, review: SimReview) {
  const html = `${web}/${pr.repository.fullName}/pull/${pr.number}`;
  return {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: restUser(review.author),
    body: '',
    state: review.state,
    html_url: `${html}#pullrequestreview-${review.id}`,
    pull_request_url: `${api}/repos/${pr.repository.fullName}/pulls/${pr.number}`,
    _links: {
      html: { href: `${html}#pullrequestreview-${review.id}` },
      pull_request: { href: `${api}/repos/${pr.repository.fullName}/pulls/${pr.number}` },
    },
    submitted_at: review.submittedAt.toISOString(),
    commit_id: sha(pr.id, 'head'),
    author_association: 'MEMBER',
  };
}

export function restCommit(repositoryFullName: string, commit: SimCommit) {
  const url = `${api}/repos/${repositoryFullName}/commits/${commit.oid}`;
  const gitUser = {
    name: commit.author.login,
    email: `${commit.author.id}+${commit.author.login}@users.noreply.github.com`,
    date: commit.authoredDate.toISOString(),
  };
  return {
    url,
    sha: commit.oid,
    node_id: nodeId('Commit', commit.oid),
    html_url: `${web}/${repositoryFullName}/commit/${commit.oid}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${api}/repos/${repositoryFullName}/git/commits/${commit.oid}`,
      author: gitUser,
      committer: { ...gitUser, date: commit.committedDate.toISOString() },
      message: commit.message,
      comment_count: 0,
      tree: {
        sha: sha(commit.oid, 'tree'),
        url: `${api}/repos/${repositoryFullName}/git/trees/${sha(commit.oid, 'tree')}`,
      },
    },
    author: restUser(commit.author),
    committer: restUser(commit.author),
    parents: [],
  };
}

export function restRateLimit(core: RateLimitState, graphql: RateLimitState) {
  const view = ({ limit, used, remaining, reset }: RateLimitState) => ({
    limit,
    used,
    remaining,
    reset,
  });
  const search = { limit: 30, used: 0, remaining: 30, reset: core.reset };
  return { resources: { core: view(core), graphql: view(graphql), search }, rate: view(core) };
}

/** What the App may do, as its installations accepted it: `{ members: 'read', ... }`. */
export type AppPermissions = Readonly<Record<string, string>>;

/** Whether the installation may read what `permission` guards (write access includes read). */
export function mayRead(permissions: AppPermissions, permission: string): boolean {
  return ['read', 'write', 'admin'].includes(permissions[permission] ?? '');
}

/** The installation as webhook payloads carry it (`simple-installation`). */
export function simpleInstallation(installationId: number) {
  return { id: installationId, node_id: nodeId('Installation', installationId) };
}

/** The App's installation on the organisation, as `GET /user/installations` and webhooks show it. */
export function restInstallation(
  installationId: number,
  account: SimUser,
  appId: number,
  permissions: AppPermissions,
) {
  return {
    id: installationId,
    account: restUser(account),
    repository_selection: 'selected',
    access_tokens_url: `${api}/app/installations/${installationId}/access_tokens`,
    repositories_url: `${api}/installation/repositories`,
    html_url: `${web}/organizations/${account.login}/settings/installations/${installationId}`,
    app_id: appId,
    app_slug: 'flowmeter',
    target_id: account.id,
    target_type: account.type,
    permissions,
    events: ['pull_request', 'pull_request_review', 'repository'],
    created_at: '2026-01-05T09:00:00Z',
    updated_at: '2026-01-05T09:00:00Z',
    single_file_name: null,
    suspended_at: null,
    suspended_by: null,
  };
}

/** An organisation in the `organization-simple` shape (memberships carry it). */
export function restOrganization(organisation: SimUser) {
  const url = `${api}/orgs/${organisation.login}`;
  return {
    login: organisation.login,
    id: organisation.id,
    node_id: nodeId('Organization', organisation.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${organisation.id}?v=4`,
    description: null,
  };
}
