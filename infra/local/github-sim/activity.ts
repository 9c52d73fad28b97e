import {
  copilotAgent,
  type Dataset,
  pullRequestId,
  reviewId,
  type SimPullRequest,
  type SimRepository,
  type SimUser,
} from './dataset.ts';
import {
  actionsBot,
  activityDelivery,
  addDelivery,
  nextDeploymentId,
  nextIssueNumber,
  nextReleaseId,
  nextTag,
  removeRelease,
  type SimDeployment,
  type SimDeploymentStatus,
  type SimIssue,
  type SimRelease,
} from './delivery.ts';
import { randomFor } from './random.ts';
import { restDeployment, restDeploymentStatus, restIssue, restRelease } from './rest-delivery.ts';
import {
  type AppPermissions,
  restInstallation,
  restPullRequest,
  restRepository,
  restReview,
  restUser,
  simpleInstallation,
} from './rest-objects.ts';
import { TeamActivity } from './team-activity.ts';
import type { WebhookSender } from './webhooks.ts';

/**
 * Simulated team activity. Each action changes the dataset (so the API
 * answers with the new state) and sends the webhook GitHub would send.
 */
export class Activity {
  private readonly dataset: Dataset;
  private readonly webhooks: WebhookSender;
  private readonly installationId: number;
  private readonly permissions: AppPermissions;
  private readonly now: () => number;
  private actions = 0;
  /** Changes to the organisation's teams and people, with their webhooks. */
  readonly teams: TeamActivity;

  constructor(
    dataset: Dataset,
    webhooks: WebhookSender,
    installationId: number,
    permissions: AppPermissions,
    now: () => number,
  ) {
    this.dataset = dataset;
    this.webhooks = webhooks;
    this.installationId = installationId;
    this.permissions = permissions;
    this.now = now;
    this.teams = new TeamActivity(dataset, webhooks, installationId, permissions, now);
  }

  private repo(fullName: string): SimRepository {
    const repo = this.dataset.repository(fullName);
    if (!repo) throw new Error(`[github-sim] no repository ${fullName}`);
    return repo;
  }

  private base(repo: SimRepository, sender: SimUser) {
    return {
      repository: restRepository(repo),
      organization: { login: repo.owner.login, id: repo.owner.id },
      installation: simpleInstallation(this.installationId),
      sender: restUser(sender),
    };
  }

  private author(): SimUser {
    const people = this.dataset.members.filter((member) => member.type === 'User');
    return randomFor(this.dataset.options.seed, 'activity', this.actions++).pick(people);
  }

  /** `installation.created` for the whole dataset, as when the organisation installs the App. */
  async installed() {
    const org = this.dataset.organisation;
    return this.webhooks.send('installation', {
      action: 'created',
      installation: restInstallation(
        this.installationId,
        org,
        this.webhooks.appId,
        this.permissions,
      ),
      repositories: this.dataset.repositories.map((repo) => ({
        id: repo.id,
        node_id: Buffer.from(`Repository:${repo.id}`).toString('base64'),
        name: repo.name,
        full_name: repo.fullName,
        private: repo.private,
      })),
      sender: restUser(this.dataset.members[0] ?? org),
    });
  }

  /** A pull request opened now; `byAgent`: by Copilot's coding agent, for (and assigned to) a person. */
  async open(
    fullName: string,
    options: { draft?: boolean; title?: string; byAgent?: boolean } = {},
  ) {
    const repo = this.repo(fullName);
    const now = new Date(this.now());
    const person = this.author();
    const author = options.byAgent ? copilotAgent : person;
    const number = repo.pullRequestCount + 1;
    const pr: SimPullRequest = {
      repository: repo,
      id: pullRequestId(repo, number),
      number,
      title: options.title ?? `Simulated change #${number}`,
      headRefName: `change-${number}`,
      author,
      createdAt: now,
      updatedAt: now,
      readyAt: options.draft ? null : now,
      isDraft: options.draft ?? false,
      state: 'OPEN',
      mergedAt: null,
      closedAt: null,
      additions: 42,
      deletions: 7,
      changedFiles: 3,
      labels: [],
      reviewCount: 0,
      commitCount: 1,
      firstCommitAt: new Date(now.getTime() - 3_600_000),
      aiCoAuthored: false,
      assignees: options.byAgent ? [person, copilotAgent] : [],
    };
    this.dataset.save({
      pr,
      reviews: [],
      commits: [
        {
          oid: sha40(pr.id, 0),
          author,
          authoredDate: pr.firstCommitAt,
          committedDate: pr.firstCommitAt,
          message: pr.title,
        },
      ],
    });
    return this.pullRequestEvent('opened', pr);
  }

  async push(fullName: string, number: number) {
    const changed = this.editable(fullName, number);
    const now = new Date(this.now());
    changed.commits.push({
      oid: sha40(changed.pr.id, changed.commits.length),
      author: changed.pr.author,
      authoredDate: now,
      committedDate: now,
      message: 'Address review comments',
    });
    changed.pr.updatedAt = now;
    this.dataset.save(changed);
    return this.pullRequestEvent('synchronize', changed.pr);
  }

  async review(
    fullName: string,
    number: number,
    state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED',
  ) {
    const changed = this.editable(fullName, number);
    const now = new Date(this.now());
    const reviewer =
      this.dataset.members.find(
        (member) => member.type === 'User' && member.id !== changed.pr.author.id,
      ) ?? changed.pr.author;
    const review = {
      id: reviewId(changed.pr, changed.reviews.length),
      author: reviewer,
      state,
      submittedAt: now,
    };
    changed.reviews.push(review);
    changed.pr.updatedAt = now;
    this.dataset.save(changed);
    return this.webhooks.send('pull_request_review', {
      action: 'submitted',
      review: restReview(changed.pr, review),
      pull_request: restPullRequest(changed.pr, false),
      ...this.base(changed.pr.repository, reviewer),
    });
  }

  async merge(fullName: string, number: number) {
    const changed = this.editable(fullName, number);
    const now = new Date(this.now());
    Object.assign(changed.pr, {
      state: 'MERGED',
      mergedAt: now,
      closedAt: now,
      updatedAt: now,
      isDraft: false,
    });
    this.dataset.save(changed);
    return this.pullRequestEvent('closed', changed.pr);
  }

  /**
   * A deployment of the default branch's head to `environment`, as a GitHub
   * Actions job with `environment:` makes one: `deployment` created, then
   * `deployment_status` in progress and how it ended, each delivered.
   */
  async deploy(
    fullName: string,
    options: { environment?: 'staging' | 'production'; state?: 'success' | 'failure' } = {},
  ) {
    const repo = this.repo(fullName);
    const now = new Date(this.now());
    let deployment: SimDeployment | undefined;
    addDelivery(this.dataset, repo, (current) => {
      deployment = {
        id: nextDeploymentId(repo, current),
        environment: options.environment ?? 'production',
        sha: current.branch.at(-1)?.oid as string,
        ref: 'main',
        creator: actionsBot,
        createdAt: now,
        statuses: [],
      };
      return { deployment };
    });
    const made = deployment as SimDeployment;
    const created = await this.deploymentEvent('deployment', repo, made);
    const statuses = [];
    for (const state of ['in_progress', options.state ?? 'success'] as const) {
      const status = { state, createdAt: new Date(this.now()) };
      made.statuses.push(status);
      this.dataset.version++;
      statuses.push(await this.deploymentEvent('deployment_status', repo, made, status));
    }
    return [created, ...statuses];
  }

  /**
   * A release of the default branch's head, published now: delivered as
   * GitHub does, `published` then `released` (or `prereleased`).
   */
  async release(fullName: string, options: { prerelease?: boolean } = {}) {
    const repo = this.repo(fullName);
    const now = new Date(this.now());
    let release: SimRelease | undefined;
    addDelivery(this.dataset, repo, (current) => {
      const id = nextReleaseId(repo, current);
      release = {
        id,
        tagName: nextTag(current.releases, options.prerelease ?? false),
        sha: current.branch.at(-1)?.oid as string,
        author: this.author(),
        createdAt: now,
        publishedAt: now,
        updatedAt: now,
        prerelease: options.prerelease ?? false,
      };
      return { release };
    });
    const made = release as SimRelease;
    return [
      await this.releaseEvent('published', repo, made),
      await this.releaseEvent(made.prerelease ? 'prereleased' : 'released', repo, made),
    ];
  }

  /**
   * Makes a pre-release activity published a release, as its page's
   * checkbox does: delivered as `release` edited, then released.
   */
  async promoteRelease(fullName: string, id: number) {
    const repo = this.repo(fullName);
    const release = activityDelivery(this.dataset, repo).releases.find((found) => found.id === id);
    if (!release?.prerelease) throw new Error(`[github-sim] no pre-release ${id} in ${fullName}`);
    Object.assign(release, { prerelease: false, updatedAt: new Date(this.now()) });
    this.dataset.version++;
    return [
      await this.releaseEvent('edited', repo, release),
      await this.releaseEvent('released', repo, release),
    ];
  }

  /** Deletes a release activity published, delivered as `release` deleted. */
  async deleteRelease(fullName: string, id: number) {
    const repo = this.repo(fullName);
    const release = removeRelease(this.dataset, repo, id);
    if (!release) throw new Error(`[github-sim] no release ${id} in ${fullName}`);
    return this.releaseEvent('deleted', repo, release);
  }

  /** An issue opened (an incident when its labels say so), delivered as `issues` opened. */
  async openIssue(fullName: string, issue: { title: string; body: string; labels: string[] }) {
    const repo = this.repo(fullName);
    const now = new Date(this.now());
    let opened: SimIssue | undefined;
    addDelivery(this.dataset, repo, (current) => {
      opened = {
        ...issue,
        number: nextIssueNumber(current),
        author: this.author(),
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      return { issue: opened };
    });
    return this.issueEvent('opened', repo, opened as SimIssue);
  }

  /** Closes an issue activity opened, delivered as `issues` closed. */
  async closeIssue(fullName: string, number: number) {
    const repo = this.repo(fullName);
    const issue = activityDelivery(this.dataset, repo).issues.find(
      (found) => found.number === number,
    );
    if (!issue) throw new Error(`[github-sim] no issue ${fullName}#${number}`);
    const now = new Date(this.now());
    issue.closedAt = now;
    issue.updatedAt = now;
    this.dataset.version++;
    return this.issueEvent('closed', repo, issue);
  }

  private deploymentEvent(
    event: 'deployment' | 'deployment_status',
    repo: SimRepository,
    deployment: SimDeployment,
    status?: SimDeploymentStatus,
  ) {
    return this.webhooks.send(event, {
      action: 'created',
      deployment: restDeployment(repo, deployment),
      ...(status && { deployment_status: restDeploymentStatus(repo, deployment, status) }),
      ...this.base(repo, deployment.creator),
    });
  }

  private releaseEvent(action: string, repo: SimRepository, release: SimRelease) {
    return this.webhooks.send('release', {
      action,
      release: restRelease(repo, release),
      ...this.base(repo, release.author),
    });
  }

  private issueEvent(action: string, repo: SimRepository, issue: SimIssue) {
    return this.webhooks.send('issues', {
      action,
      issue: restIssue(repo, issue),
      ...this.base(repo, issue.author),
    });
  }

  private editable(fullName: string, number: number) {
    const changed = this.dataset.editable(this.repo(fullName), number);
    if (!changed) throw new Error(`[github-sim] no pull request ${fullName}#${number}`);
    return changed;
  }

  private pullRequestEvent(action: string, pr: SimPullRequest) {
    return this.webhooks.send('pull_request', {
      action,
      number: pr.number,
      pull_request: restPullRequest(pr, true),
      ...this.base(pr.repository, pr.author),
    });
  }
}

function sha40(id: number, index: number): string {
  return (BigInt(id) * 1_000_003n + BigInt(index)).toString(16).padStart(40, '0').slice(-40);
}
