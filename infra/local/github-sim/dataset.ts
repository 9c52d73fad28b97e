import { createHash } from 'node:crypto';
import { type Random, randomFor } from './random.ts';
import type { SimUser } from './sim-user.ts';
import { Teams } from './teams.ts';

/**
 * A deterministic GitHub organisation: members, repositories and pull
 * requests with realistic shapes, generated from a seed. Nothing is stored per
 * pull request: any one is recomputed from (seed, repository, number), so a
 * 100,000-PR repository costs no more memory than a small one.
 */
export interface DatasetOptions {
  seed: number;
  installationId: number;
  organisation: string;
  repositories: readonly { name: string; pullRequests: number }[];
  /** People in the organisation (two bots are added). @default 12 */
  members?: number;
  /** Weeks of history, ending at `now`. @default 26 */
  weeks?: number;
  now: Date;
  /**
   * Where this organisation's ids start, so several in one simulator never
   * share one: its repositories' place among all the simulator's, and its
   * members' first id. @default { repositories: 0, members: 20_000 }
   */
  idsFrom?: { repositories: number; members: number };
}

// Its own file, so teams.ts can name it without importing the dataset that imports teams.
export type { SimUser } from './sim-user.ts';

export interface SimRepository {
  id: number;
  name: string;
  fullName: string;
  owner: SimUser;
  private: boolean;
  createdAt: Date;
  /** Pull requests in the repository now: the generated ones plus any opened by activity. */
  pullRequestCount: number;
  /** Pull requests generated from the seed (fixed; spreads their creation times). */
  generatedPullRequests: number;
}

export type PullRequestState = 'OPEN' | 'CLOSED' | 'MERGED';

export interface SimPullRequest {
  repository: SimRepository;
  id: number;
  number: number;
  title: string;
  /** The branch it was opened from: GitHub's revert button names it `revert-<n>-<branch>`. */
  headRefName: string;
  author: SimUser;
  createdAt: Date;
  updatedAt: Date;
  /** When it left draft; equal to createdAt for PRs never drafted, null while still a draft. */
  readyAt: Date | null;
  isDraft: boolean;
  state: PullRequestState;
  mergedAt: Date | null;
  closedAt: Date | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  labels: string[];
  reviewCount: number;
  commitCount: number;
  firstCommitAt: Date;
  /** Whether some commits carry a Co-authored-by trailer naming an AI assistant. */
  aiCoAuthored: boolean;
  /** Whom it is assigned to: Copilot's coding agent's PRs, to the person who asked and to Copilot. */
  assignees: SimUser[];
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';

export interface SimReview {
  id: number;
  author: SimUser;
  state: ReviewState;
  submittedAt: Date;
}

export interface SimCommit {
  oid: string;
  author: SimUser;
  authoredDate: Date;
  committedDate: Date;
  message: string;
}

const hour = 3_600_000;
/**
 * GitHub's Copilot coding agent, as its pull requests show it: `Copilot` in
 * REST and webhooks, `copilot-swe-agent` (a Bot) in GraphQL. It opens a PR
 * for whoever asked and assigns it to them and to itself.
 */
export const copilotAgent: SimUser = {
  id: 198_982_749,
  login: 'copilot-swe-agent[bot]',
  restLogin: 'Copilot',
  type: 'Bot',
};
/** The share of the people's changes they ask Copilot's coding agent to make. */
const agentShare = 0.06;
const labelNames = ['bug', 'feature', 'chore', 'docs', 'security', 'performance'];
const aiTrailers = [
  'Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>',
  'Co-Authored-By: Claude <noreply@anthropic.com>',
  'Made-with: Cursor',
];
/** A label teams put on AI-assisted PRs (one of ai-assistants.json's). */
const aiAssistedLabel = 'claude-code-assisted';
const verbs = ['Add', 'Fix', 'Refactor', 'Remove', 'Update', 'Document', 'Speed up', 'Test'];
const things = [
  'login flow',
  'billing export',
  'search index',
  'rate limiter',
  'audit log',
  'CI cache',
  'webhook retries',
  'dashboard',
];

/** Lifecycle timestamps of one PR, cheap enough to compute for every PR of a repository. */
interface Lifecycle {
  createdAt: number;
  readyAt: number | null;
  firstReviewAt: number | null;
  lastReviewAt: number | null;
  plannedReviews: number;
  endAt: number;
  outcome: 'merged' | 'closed';
  updatedAt: number;
}

export class Dataset {
  readonly options: Required<DatasetOptions>;
  readonly organisation: SimUser;
  readonly members: readonly SimUser[];
  readonly repositories: readonly SimRepository[];
  /** Its GitHub Teams and their membership over time (teams.ts). */
  readonly teams: Teams;
  private readonly byUpdatedCache = new Map<number, Int32Array>();
  /** Pull requests changed by simulated activity, which then live here instead of the seed. */
  private readonly changed = new Map<string, ChangedPullRequest>();
  /** Goes up with every change activity makes, so views built from many PRs know to rebuild. */
  version = 0;

  constructor(options: DatasetOptions) {
    this.options = {
      members: 12,
      weeks: 26,
      idsFrom: { repositories: 0, members: 20_000 },
      ...options,
    };
    const seed = this.options.seed;
    this.organisation = {
      id: 10_000 + (seed % 1000),
      login: options.organisation,
      type: 'Organization',
    };
    const people = Array.from({ length: this.options.members }, (_, i): SimUser => {
      const random = randomFor(seed, 'member', i);
      const first = random.pick([
        'ada',
        'bo',
        'cy',
        'dee',
        'eli',
        'fay',
        'gus',
        'hal',
        'ivy',
        'jo',
        'kai',
        'lu',
      ]);
      return {
        id: this.options.idsFrom.members + i,
        login: `${first}-${random.pick(['dev', 'codes', 'hacks', 'ships', 'reviews'])}-${i}`,
        type: 'User',
      };
    });
    const bots: SimUser[] = [
      { id: 49_699_333, login: 'dependabot[bot]', type: 'Bot' },
      { id: 29_139_614, login: 'renovate[bot]', type: 'Bot' },
    ];
    this.members = [...people, ...bots];
    this.teams = new Teams(
      {
        seed,
        weeks: this.options.weeks,
        now: this.options.now,
        firstMemberId: this.options.idsFrom.members,
      },
      people,
    );
    this.repositories = options.repositories.map((repo, index) => ({
      id: repositoryIdBase + this.options.idsFrom.repositories + index,
      name: repo.name,
      fullName: `${options.organisation}/${repo.name}`,
      owner: this.organisation,
      private: index % 2 === 0,
      createdAt: new Date(this.start - 7 * 24 * hour),
      pullRequestCount: repo.pullRequests,
      generatedPullRequests: repo.pullRequests,
    }));
  }

  private get start(): number {
    return this.options.now.getTime() - this.options.weeks * 7 * 24 * hour;
  }

  repository(fullName: string): SimRepository | undefined {
    return this.repositories.find((repo) => repo.fullName.toLowerCase() === fullName.toLowerCase());
  }

  private people(): SimUser[] {
    return this.members.filter((member) => member.type === 'User');
  }

  private lifecycle(repo: SimRepository, number: number): Lifecycle {
    const random = randomFor(this.options.seed, repo.id, number, 'lifecycle');
    const now = this.options.now.getTime();
    const span = now - this.start;
    const createdAt =
      this.start + ((number - 1 + random.next()) / repo.generatedPullRequests) * span;
    const drafted = random.chance(0.12);
    const readyAt = drafted ? createdAt + random.lognormal(6 * hour, 1) : createdAt;
    const unreviewed = random.chance(0.15);
    const heavyReviews = random.chance(0.006);
    const plannedReviews = unreviewed
      ? 0
      : heavyReviews
        ? random.int(100, 160)
        : 1 + Math.min(8, Math.floor(-Math.log(1 - random.next()) / Math.log(2)));
    const firstReviewAt = plannedReviews > 0 ? readyAt + random.lognormal(4 * hour, 1.3) : null;
    const lastReviewAt =
      firstReviewAt === null
        ? null
        : firstReviewAt + (plannedReviews > 1 ? random.lognormal(6 * hour, 1.2) : 0);
    const outcome = random.chance(0.08) ? 'closed' : 'merged';
    const endAt = (lastReviewAt ?? readyAt) + random.lognormal(2 * hour, 1);
    const events = [createdAt, readyAt, firstReviewAt, lastReviewAt, endAt].filter(
      (time): time is number => time !== null && time <= now,
    );
    return {
      createdAt,
      readyAt: readyAt <= now ? readyAt : null,
      firstReviewAt,
      lastReviewAt,
      plannedReviews,
      endAt,
      outcome,
      updatedAt: Math.max(...events),
    };
  }

  pullRequest(repo: SimRepository, number: number): SimPullRequest | undefined {
    const changed = this.changed.get(`${repo.id}#${number}`);
    if (changed) return changed.pr;
    if (!Number.isInteger(number) || number < 1 || number > repo.generatedPullRequests)
      return undefined;
    const life = this.lifecycle(repo, number);
    const random = randomFor(this.options.seed, repo.id, number, 'details');
    const now = this.options.now.getTime();
    const drawn = random.chance(0.1)
      ? random.pick(this.members.filter((m) => m.type === 'Bot'))
      : random.pick(this.people());
    // A stream of its own, so every other PR stays as it was before agents opened any.
    const asked =
      drawn.type === 'User' &&
      randomFor(this.options.seed, repo.id, number, 'agent').chance(agentShare);
    const author = asked ? copilotAgent : drawn;
    const ended = life.endAt <= now;
    const heavyCommits = random.chance(0.006);
    const title = `${random.pick(verbs)} ${random.pick(things)} (#${number})`;
    const reverted = this.revertedBy(repo, number, life.createdAt);
    const pr: SimPullRequest = {
      repository: repo,
      id: pullRequestId(repo, number),
      number,
      title: reverted ? `Revert "${reverted.title}"` : title,
      headRefName: reverted
        ? `revert-${reverted.number}-${reverted.headRefName}`
        : `change-${number}`,
      author,
      createdAt: new Date(life.createdAt),
      updatedAt: new Date(life.updatedAt),
      readyAt: life.readyAt === null ? null : new Date(life.readyAt),
      isDraft: life.readyAt === null,
      state: !ended ? 'OPEN' : life.outcome === 'merged' ? 'MERGED' : 'CLOSED',
      mergedAt: ended && life.outcome === 'merged' ? new Date(life.endAt) : null,
      closedAt: ended ? new Date(life.endAt) : null,
      additions: Math.round(random.lognormal(80, 1.3)),
      deletions: Math.round(random.lognormal(30, 1.3)),
      changedFiles: 1 + Math.round(random.lognormal(3, 1)),
      labels: labelNames.filter(() => random.chance(0.15)),
      reviewCount: this.reviewTimes(life).length,
      commitCount: heavyCommits ? random.int(100, 250) : 1 + Math.floor(random.lognormal(2, 0.8)),
      firstCommitAt: new Date(life.createdAt - random.lognormal(18 * hour, 1.2)),
      aiCoAuthored: random.chance(0.25),
      assignees: asked ? [drawn, copilotAgent] : [],
    };
    // Some teams label AI-assisted work instead of (or besides) a trailer.
    if (pr.aiCoAuthored && number % 5 === 0) pr.labels.push(aiAssistedLabel);
    return pr;
  }

  /**
   * Every fortieth PR reverts the one before it, when that one was merged
   * before it opened: made as GitHub's revert button makes them.
   */
  private revertedBy(
    repo: SimRepository,
    number: number,
    createdAt: number,
  ): SimPullRequest | undefined {
    if (number % 40 !== 0) return undefined;
    const previous = this.pullRequest(repo, number - 1);
    return previous?.mergedAt && previous.mergedAt.getTime() < createdAt ? previous : undefined;
  }

  /** Review times spread evenly from first to last review, only those already past. */
  private reviewTimes(life: Lifecycle): number[] {
    if (life.firstReviewAt === null || life.lastReviewAt === null) return [];
    const { firstReviewAt, lastReviewAt, plannedReviews } = life;
    const step = plannedReviews > 1 ? (lastReviewAt - firstReviewAt) / (plannedReviews - 1) : 0;
    const now = this.options.now.getTime();
    return Array.from({ length: plannedReviews }, (_, i) => firstReviewAt + i * step).filter(
      (time) => time <= now,
    );
  }

  reviews(pr: SimPullRequest, offset: number, limit: number): SimReview[] {
    const changed = this.changed.get(`${pr.repository.id}#${pr.number}`);
    if (changed) return changed.reviews.slice(offset, offset + limit);
    const times = this.reviewTimes(this.lifecycle(pr.repository, pr.number));
    const reviewers = this.people().filter((person) => person.id !== pr.author.id);
    return times.slice(offset, offset + limit).map((time, i) => {
      const index = offset + i;
      const random = randomFor(this.options.seed, pr.id, 'review', index);
      const last = index === times.length - 1;
      return {
        id: reviewId(pr, index),
        author: random.pick(reviewers),
        state:
          last && pr.state === 'MERGED'
            ? 'APPROVED'
            : random.pick(['COMMENTED', 'CHANGES_REQUESTED', 'APPROVED'] as const),
        submittedAt: new Date(time),
      };
    });
  }

  /**
   * When each commit was made: spread from the first commit to the PR's
   * creation, except that four in ten reviewed PRs get their last one to
   * three commits after the first review — the rework review asked for —
   * spread up to the merge (or the PR's last update, if still open).
   */
  private commitTimes(pr: SimPullRequest): number[] {
    const life = this.lifecycle(pr.repository, pr.number);
    const random = randomFor(this.options.seed, pr.id, 'rework');
    const reviewed = life.firstReviewAt !== null && life.firstReviewAt <= life.updatedAt;
    const rework =
      reviewed && pr.commitCount >= 2 && random.chance(0.4)
        ? random.int(1, Math.min(3, pr.commitCount - 1))
        : 0;
    const before = pr.commitCount - rework;
    const start = pr.firstCommitAt.getTime();
    const end = Math.min(pr.readyAt?.getTime() ?? pr.createdAt.getTime(), pr.createdAt.getTime());
    const step = before > 1 ? (end - start) / (before - 1) : 0;
    const reviewedAt = life.firstReviewAt ?? 0;
    const until = Math.min(life.endAt, life.updatedAt);
    return [
      ...Array.from({ length: before }, (_, i) => start + i * step),
      ...Array.from(
        { length: rework },
        (_, j) => reviewedAt + ((j + 1) / (rework + 1)) * (until - reviewedAt),
      ),
    ];
  }

  commits(pr: SimPullRequest, offset: number, limit: number): SimCommit[] {
    const changed = this.changed.get(`${pr.repository.id}#${pr.number}`);
    if (changed) return changed.commits.slice(offset, offset + limit);
    const times = this.commitTimes(pr);
    return times.slice(offset, offset + limit).map((at, i) => {
      const index = offset + i;
      const time = new Date(at);
      const random = randomFor(this.options.seed, pr.id, 'commit', index);
      const trailer = pr.aiCoAuthored && random.chance(0.6) ? `\n\n${random.pick(aiTrailers)}` : '';
      return {
        oid: hex(random, 40),
        author: pr.author,
        authoredDate: time,
        committedDate: time,
        message: `${random.pick(verbs)} ${random.pick(things)}${trailer}`,
      };
    });
  }

  /** How many of a repository's PRs were updated at or after `since` (epoch ms). */
  countUpdatedSince(repo: SimRepository, since: number): number {
    const order = this.numbersByUpdated(repo);
    // Newest first: binary search for the first PR updated before `since`.
    let low = 0;
    let high = order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.updatedAtOf(repo, order[middle] as number) >= since) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private updatedAtOf(repo: SimRepository, number: number): number {
    const changed = this.changed.get(`${repo.id}#${number}`);
    return changed ? changed.pr.updatedAt.getTime() : this.lifecycle(repo, number).updatedAt;
  }

  /** PR numbers of a repository, most recently updated first (computed once per repository). */
  numbersByUpdated(repo: SimRepository): Int32Array {
    let order = this.byUpdatedCache.get(repo.id);
    if (!order) {
      const updated = new Float64Array(repo.pullRequestCount + 1);
      for (let n = 1; n <= repo.pullRequestCount; n++) updated[n] = this.updatedAtOf(repo, n);
      order = Int32Array.from({ length: repo.pullRequestCount }, (_, i) => i + 1).sort(
        (a, b) => (updated[b] as number) - (updated[a] as number) || b - a,
      );
      this.byUpdatedCache.set(repo.id, order);
    }
    return order;
  }

  /** A pull request's current state, detached from the seed so activity can change it. */
  editable(repo: SimRepository, number: number): ChangedPullRequest | undefined {
    const existing = this.changed.get(`${repo.id}#${number}`);
    if (existing) return existing;
    const pr = this.pullRequest(repo, number);
    if (!pr) return undefined;
    return {
      pr: { ...pr, labels: [...pr.labels] },
      reviews: this.reviews(pr, 0, pr.reviewCount),
      commits: this.commits(pr, 0, pr.commitCount),
    };
  }

  /** Stores a pull request changed (or opened) by activity. */
  save(changed: ChangedPullRequest): void {
    const { pr } = changed;
    pr.reviewCount = changed.reviews.length;
    pr.commitCount = changed.commits.length;
    this.changed.set(`${pr.repository.id}#${pr.number}`, changed);
    this.version++;
    pr.repository.pullRequestCount = Math.max(pr.repository.pullRequestCount, pr.number);
    this.byUpdatedCache.delete(pr.repository.id);
  }
}

export interface ChangedPullRequest {
  pr: SimPullRequest;
  reviews: SimReview[];
  commits: SimCommit[];
}

/**
 * Ids stay within GraphQL's 32-bit Int, as GitHub's `databaseId` does:
 * up to 150,000 PRs per repository, 512 reviews per PR, a dozen repositories.
 */
export const repositoryIdBase = 300_000;

function pullRequestSequence(repo: SimRepository, number: number): number {
  return (repo.id - repositoryIdBase) * 150_000 + number;
}

/** The commit a merged pull request put on the default branch; null while it is not merged. */
export function mergeCommitSha(pr: SimPullRequest): string | null {
  return pr.mergedAt ? createHash('sha1').update(`${pr.id}:merge`).digest('hex') : null;
}

export function pullRequestId(repo: SimRepository, number: number): number {
  return 100_000_000 + pullRequestSequence(repo, number);
}

/** Past 2^31, as GitHub's review ids are: a client reading them as a 32-bit Int fails here as there. */
export function reviewId(pr: SimPullRequest, index: number): number {
  return 3_000_000_000 + pullRequestSequence(pr.repository, pr.number) * 512 + index;
}

function hex(random: Random, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random.next() * 16).toString(16);
  return out;
}

/** Everything in the dataset as plain JSON, for tests that compute expected metrics independently. */
export function exportDataset(dataset: Dataset) {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    organisation: dataset.organisation,
    members: dataset.members,
    teams: dataset.teams.list().map(({ parent, deletedAt: _deletedAt, ...team }) => ({
      ...team,
      parent: parent?.slug ?? null,
      createdAt: iso(team.createdAt),
      updatedAt: iso(team.updatedAt),
    })),
    /** Every membership interval, deleted teams' too: who was in which team, when. */
    teamMemberships: dataset.teams.history().map(({ team, user, ...interval }) => ({
      team: team.slug,
      teamId: team.id,
      user,
      role: interval.role,
      joinedAt: iso(interval.joinedAt),
      leftAt: iso(interval.leftAt),
    })),
    repositories: dataset.repositories.map((repo) => ({
      id: repo.id,
      fullName: repo.fullName,
      pullRequests: Array.from({ length: repo.pullRequestCount }, (_, i) => {
        const pr = dataset.pullRequest(repo, i + 1) as SimPullRequest;
        const { repository: _repository, ...facts } = pr;
        return {
          ...facts,
          createdAt: iso(pr.createdAt),
          updatedAt: iso(pr.updatedAt),
          readyAt: iso(pr.readyAt),
          mergedAt: iso(pr.mergedAt),
          closedAt: iso(pr.closedAt),
          firstCommitAt: iso(pr.firstCommitAt),
          reviews: dataset.reviews(pr, 0, pr.reviewCount).map((review) => ({
            ...review,
            submittedAt: iso(review.submittedAt),
          })),
          commits: dataset.commits(pr, 0, pr.commitCount).map((commit) => ({
            ...commit,
            authoredDate: iso(commit.authoredDate),
            committedDate: iso(commit.committedDate),
          })),
        };
      }),
    })),
  };
}
