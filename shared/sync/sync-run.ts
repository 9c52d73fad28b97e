import type { SyncCompleted } from '../queue/sync-completed.ts';
import type { SyncJob } from '../queue/sync-job.ts';
import type { DeliveryFacts } from '../store/delivery-history.ts';
import { requestsPerMinute } from '../store/github-budget.ts';
import type { InstallationStatus } from '../store/installations.ts';
import type { LearnedPullRequests, RecordedPullRequests } from '../store/record-pull-requests.ts';
import { runUnderWay } from '../store/sync-status.ts';
import {
  type FollowUp,
  leaseSuccessor,
  type SyncedRepository,
  type SyncState,
} from './checkpoint.ts';
import type { DeliveryCheckpoint } from './delivery-stream.ts';
import type { Chunk, PageRequest, RepositoryRef } from './fetch-chunk.ts';

export interface SyncSettings {
  /** Backfill window in days; 0 = full history. */
  daysBack: number;
  /** GraphQL points kept for webhook-driven work; below it the sync waits for the reset. */
  reserve: number;
  /** How long a lease holds; longer than one invocation. */
  leaseMs: number;
  /** Stop taking new chunks when less than this much time remains. */
  stopWithMs: number;
  maxPageSize: number;
  minPageSize: number;
  /** GraphQL requests an installation's workers make in one calendar minute at most (`github-budget.ts`). */
  pointsPerMinute: number;
}

/** The engine's own tuning, around the backfill window and reserve the deployment chooses. */
export function syncSettings(chosen: Pick<SyncSettings, 'daysBack' | 'reserve'>): SyncSettings {
  return {
    leaseMs: 330_000,
    stopWithMs: 60_000,
    maxPageSize: 50,
    minPageSize: 5,
    pointsPerMinute: requestsPerMinute,
    ...chosen,
  };
}

type RepositoryKey = { installationId: number; repositoryId: number };

/** Where the sync keeps a repository's state and the pull requests it fetched. */
export interface SyncStore {
  /** The repository with its sync state, leased to `owner` (also when handed to `successor`); or why not. */
  acquireLease(
    repository: RepositoryKey,
    owner: string,
    nowMs: number,
    leaseMs: number,
    successor?: string,
  ): Promise<SyncedRepository | 'busy' | 'missing'>;
  /** Passes the lease `owner` holds to `successor` until `untilMs`. */
  handOverLease(
    repository: RepositoryKey,
    owner: string,
    successor: string,
    untilMs: number,
  ): Promise<void>;
  /** Applies `changes` while `owner` holds the lease at `version`; returns the next version. */
  updateState(
    repository: RepositoryKey,
    owner: string,
    version: number,
    changes: SyncState,
  ): Promise<number>;
  releaseLease(repository: RepositoryKey, owner: string): Promise<void>;
  installationStatus(installationId: number): Promise<InstallationStatus | undefined>;
  recordPullRequests(learned: LearnedPullRequests, now: Date): Promise<RecordedPullRequests>;
  /** How many of the repository's PRs are stored with a last update at or after `since` (null: all). */
  countPullRequests(repository: RepositoryKey, since: string | null): Promise<number>;
  /** Stores a page of the delivery stream, keeping the issues the installation counts as incidents. */
  recordDelivery(repository: RepositoryKey, page: DeliveryFacts, now: Date): Promise<void>;
  /** Claims points of the installation's shared budget for a chunk; refused with the reset to wait for. */
  claimBudget(
    installationId: number,
    claim: { cost: number; reserve: number; perMinute: number },
    now: Date,
  ): Promise<{ granted: true } | { granted: false; resetAt: number }>;
  /** Records GitHub's reading of the installation's budget after a request. */
  recordBudget(
    installationId: number,
    reading: { remaining: number; resetAt: number },
    now: Date,
  ): Promise<void>;
}

/** Fetches one chunk of a repository: a page of PRs (null once all are read), follow-ups and the delivery stream's pages. */
export type FetchChunk = (
  repository: RepositoryRef,
  page: PageRequest | null,
  followUps: readonly FollowUp[],
  delivery: DeliveryCheckpoint | null,
) => Promise<Chunk>;

/** Steps inside a chunk, named so tests can crash the worker at each. */
export type SyncStep = 'fetched' | 'stored' | 'advanced';

/** What the sync reports to the operators' dashboard. */
export type SyncMetric =
  | 'PullRequestsSynced'
  | 'DeploymentsSynced'
  | 'Chunks'
  | 'GitHubPoints'
  | 'RateLimitWaits'
  | 'PartialAnswers';

export interface SyncDependencies {
  store: SyncStore;
  /** GitHub, as one installation. */
  chunksFor: (installationId: number) => FetchChunk;
  /** Queues a job for this repository again, after `delaySeconds` (≤ 900, SQS's maximum). */
  enqueue: (job: SyncJob, delaySeconds: number) => Promise<void>;
  /** Sends an event to the notifications queue. */
  notify: (event: SyncCompleted) => Promise<void>;
  /**
   * Lets the installation's held-back repositories into the sync queue as
   * far as it has room, this one not counted (its run is ending or parked).
   */
  admitNext: (repository: RepositoryKey) => Promise<void>;
  /** Rolls up the installation's finished week if every repository of it has its recent history stored. */
  rollUpOnceRecent: (installationId: number) => Promise<void>;
  now: () => number;
  remainingMs: () => number;
  /** Identifies this invocation as lease owner. */
  owner: string;
  settings: SyncSettings;
  /** Adds to one of the sync's operational metrics (CloudWatch, through Powertools, in AWS). */
  count: (metric: SyncMetric, value: number) => void;
  onStep?: (step: SyncStep) => void;
}

const maxDelaySeconds = 900;

/**
 * One leased run over a repository: its checkpoint as last written, and the
 * only way to move it on — a write conditional on the lease and the version.
 */
export class SyncRun {
  readonly job: SyncJob;
  readonly deps: SyncDependencies;
  readonly repository: RepositoryKey;
  readonly ref: RepositoryRef;
  state: SyncedRepository;
  private version: number;

  constructor(job: SyncJob, leased: SyncedRepository, deps: SyncDependencies) {
    this.job = job;
    this.deps = deps;
    this.repository = { installationId: job.installationId, repositoryId: job.repository.id };
    this.ref = { ...this.repository, repositoryFullName: leased.fullName };
    this.state = leased;
    this.version = leased.syncVersion ?? 0;
  }

  /** A run is under way (or waiting for a rate-limit reset). */
  get inProgress(): boolean {
    return runUnderWay(this.state);
  }

  async save(changes: SyncState): Promise<void> {
    const { store, owner } = this.deps;
    this.version = await store.updateState(this.repository, owner, this.version, changes);
    this.state = { ...this.state, ...changes };
  }

  /**
   * Queues the run's next invocation, keyed by the checkpoint version it
   * continues from, with the lease handed over to it first: a continuation
   * picked up before this worker returns must not find the repository busy.
   */
  async continueAfter(delaySeconds: number): Promise<void> {
    const { deps } = this;
    const delay = Math.min(maxDelaySeconds, Math.max(0, Math.ceil(delaySeconds)));
    const idempotencyKey = `${this.state.syncLastJobKey}:continue:${this.version}`;
    await deps.store.handOverLease(
      this.repository,
      deps.owner,
      leaseSuccessor(idempotencyKey),
      deps.now() + delay * 1000 + deps.settings.leaseMs,
    );
    await deps.enqueue(
      {
        ...this.job,
        idempotencyKey,
        trigger: 'continuation',
        requestedAt: new Date(deps.now()).toISOString(),
      },
      delay,
    );
  }

  /**
   * Announces the run's end (before recording it, so a crash between the
   * two repeats the announcement under its key rather than losing it): the
   * notifier mails the first backfill once its last repository ended,
   * however it ended.
   */
  async announceEnd(outcome: 'complete' | 'failed', pullRequests: number): Promise<void> {
    await this.deps.notify({
      version: 1,
      kind: 'sync-completed',
      idempotencyKey: `${this.state.syncLastJobKey}:completed`,
      installationId: this.repository.installationId,
      repository: { id: this.repository.repositoryId, fullName: this.state.fullName },
      mode: this.state.syncMode ?? 'backfill',
      outcome,
      pullRequests,
      finishedAt: new Date(this.deps.now()).toISOString(),
    });
  }

  /** Ends the run for good, with the reason shown to operators. */
  async fail(reason: string): Promise<void> {
    const recentPart = this.state.syncMode === 'backfill' && this.state.syncPhase !== 'deep';
    await this.announceEnd('failed', this.state.syncCompleted ?? 0);
    await this.save({
      syncStatus: 'failed',
      syncLastError: reason,
      syncFinishedAt: new Date(this.deps.now()).toISOString(),
      syncCursor: null,
    });
    await this.ended(recentPart);
  }

  /**
   * The run's end is recorded: the next held-back repository comes in (a
   * crash just before leaves it to another run's end, or to the daily
   * reconciliation), and a run that held the installation's recent history
   * up may let the finished week be rolled up.
   */
  async ended(heldRecentPart: boolean): Promise<void> {
    await this.deps.admitNext(this.repository);
    if (heldRecentPart) await this.rollUpOnceRecent();
  }

  /** Rolls up the installation's finished week, if this run was the last of its repositories to hold it up. */
  async rollUpOnceRecent(): Promise<void> {
    await this.deps.rollUpOnceRecent(this.repository.installationId);
  }

  /**
   * This repository's recent history is stored and its deep phase parked:
   * the finished week is rolled up if the installation's others have
   * theirs, and the next held-back repository comes in.
   */
  async recentHistoryStored(): Promise<void> {
    await this.rollUpOnceRecent();
    await this.deps.admitNext(this.repository);
  }
}
