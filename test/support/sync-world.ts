import type { StoredPullRequest } from '#shared/metrics/pull-request.ts';
import type { SyncJob } from '#shared/queue/sync-job.ts';
import type { SyncedRepository, SyncState } from '#shared/sync/checkpoint.ts';
import type { DeliveryCheckpoint, DeliveryPage } from '#shared/sync/delivery-stream.ts';
import type { Chunk } from '#shared/sync/fetch-chunk.ts';
import {
  type FetchChunk,
  type SyncDependencies,
  type SyncStore,
  syncSettings,
} from '#shared/sync/sync-run.ts';

/** The unit tests' clock: a Friday, two days into ISO week 2026-W47. */
export const start = Date.parse('2026-11-20T12:00:00Z');
export const resetAt = '2026-11-20T12:30:00Z';

/**
 * The sync loop's world in memory, for unit tests of `runSync`: one
 * repository's item, its installation's budget, a queue and a clock.
 */
export function world(options: {
  pages: (Chunk | Error)[];
  remaining?: number[];
  active?: boolean;
  /** What the installation's other workers have left of the budget. */
  budget?: { remaining: number; resetAt: number };
  /** The repository's sync state before the job (a finished backfill's, say). */
  state?: SyncState;
}) {
  let budget = options.budget ?? null;
  let item: SyncedRepository = {
    installationId: 1,
    repositoryId: 10,
    fullName: 'acme/api',
    name: 'api',
    private: false,
    active: options.active ?? true,
    updatedAt: '2026-11-01T00:00:00Z',
    ...options.state,
  };
  const stored = new Map<number, StoredPullRequest>();
  const queued: { job: SyncJob; delaySeconds: number }[] = [];
  const completed: string[] = [];
  const asked: ({ after: string | null; size: number } | null)[] = [];
  /** The counts each page was asked with: the run's progress, the completeness check. */
  const countsAsked: { countSince?: string | undefined; checkSince?: string | undefined }[] = [];
  const deliveryAsked: (DeliveryCheckpoint | null)[] = [];
  const deliveryStored: DeliveryPage['deployments'] = [];
  const store: SyncStore = {
    async acquireLease(_repository, owner, nowMs, leaseMs, successor) {
      const holder = item.syncLeaseOwner;
      if (holder && holder !== owner && holder !== successor && (item.syncLeaseUntil ?? 0) > nowMs)
        return 'busy';
      item = { ...item, syncLeaseOwner: owner, syncLeaseUntil: nowMs + leaseMs };
      return { ...item };
    },
    async updateState(_repository, owner, version, changes: SyncState) {
      if (item.syncLeaseOwner !== owner || (item.syncVersion ?? 0) !== version)
        throw new Error('lease lost');
      item = { ...item, ...changes, syncVersion: version + 1 };
      return version + 1;
    },
    async handOverLease(_repository, owner, successor, untilMs) {
      if (item.syncLeaseOwner !== owner) throw new Error('lease lost');
      item = { ...item, syncLeaseOwner: successor, syncLeaseUntil: untilMs };
    },
    async releaseLease(_repository, owner) {
      if (item.syncLeaseOwner === owner)
        item = { ...item, syncLeaseOwner: null, syncLeaseUntil: null };
    },
    installationStatus: async () => 'active',
    async recordPullRequests(learned) {
      for (const pr of learned.synced ?? []) stored.set(pr.number, pr);
      // Each merged follow-up leaves the mark of where its PR continues, none once read.
      return { followUpMarks: (learned.followUps ?? []).map((followUp) => followUp.to) };
    },
    async countPullRequests(_repository, since) {
      const from = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
      return [...stored.values()].filter((pr) => Date.parse(pr.updatedAt) >= from).length;
    },
    async recordDelivery(_repository, page) {
      deliveryStored.push(...page.deployments);
    },
    async claimBudget(_installationId, { cost, reserve }, now) {
      // (The per-minute share is the store's; a chunk or two here never reaches it.)
      if (budget && budget.resetAt > now.getTime() && budget.remaining < reserve + cost)
        return { granted: false, resetAt: budget.resetAt };
      if (budget) budget = { ...budget, remaining: budget.remaining - cost };
      return { granted: true };
    },
    async recordBudget(_installationId, reading) {
      const later = !budget || reading.resetAt > budget.resetAt;
      if (later || (reading.resetAt === budget?.resetAt && reading.remaining < budget.remaining))
        budget = reading;
    },
  };
  const pages = [...options.pages];
  const remaining = [...(options.remaining ?? [])];
  const followUpsAsked: number[][] = [];
  const fetch: FetchChunk = async (_repository, page, followUps, delivery) => {
    asked.push(page && { after: page.after, size: page.size });
    countsAsked.push({ countSince: page?.countSince, checkSince: page?.checkSince });
    followUpsAsked.push(followUps.map((followUp) => followUp.number));
    deliveryAsked.push(delivery);
    const next = pages.shift();
    if (!next) throw new Error('no more pages scripted');
    if (next instanceof Error) throw next;
    return next;
  };
  const admitted: number[] = [];
  const rolledUp: number[] = [];
  const deps = (owner: string): SyncDependencies => ({
    store,
    admitNext: async ({ installationId }) => {
      admitted.push(installationId);
    },
    rollUpOnceRecent: async (installationId) => {
      rolledUp.push(installationId);
    },
    chunksFor: () => fetch,
    enqueue: async (job, delaySeconds) => {
      queued.push({ job, delaySeconds });
    },
    notify: async (event) => {
      completed.push(event.idempotencyKey);
    },
    now: () => start,
    // Each check of the clock uses up one scripted answer; plenty of time once they run out.
    remainingMs: () => remaining.shift() ?? 240_000,
    owner,
    settings: syncSettings({ daysBack: 0, reserve: 100 }),
    count: () => undefined,
  });
  return {
    deps,
    item: () => item,
    /** What admission does for a held-back repository: clears its mark (`sync-admission.ts`). */
    letIn: () => {
      item = { ...item, syncPending: null };
    },
    stored,
    queued,
    completed,
    asked,
    countsAsked,
    followUpsAsked,
    admitted,
    rolledUp,
    deliveryAsked,
    deliveryStored,
  };
}

export function pullRequest(number: number, updatedAt: string): StoredPullRequest {
  return {
    installationId: 1,
    repositoryId: 10,
    repositoryFullName: 'acme/api',
    number,
    title: `PR ${number}`,
    state: 'open',
    draft: false,
    authorId: 7,
    authorLogin: 'dev',
    authorType: 'User',
    createdAt: updatedAt,
    updatedAt,
    closedAt: null,
    mergedAt: null,
    labels: [],
    baseRef: 'main',
    reviews: {},
  };
}

export function chunk(numbers: number[], more: boolean, remaining = 4000): Chunk {
  return {
    pullRequests: numbers.map((n) =>
      pullRequest(n, `2026-11-${String(20 - n).padStart(2, '0')}T00:00:00Z`),
    ),
    followUpPages: [],
    totalCount: 4,
    windowCount: null,
    checkCount: null,
    endCursor: more ? `cursor-${numbers.at(-1)}` : null,
    hasNextPage: more,
    rateLimit: { cost: 1, remaining, resetAt },
    points: 1,
    notes: [],
    delivery: null,
  };
}

export const job = (key: string, trigger: SyncJob['trigger'] = 'installation'): SyncJob => ({
  version: 1,
  idempotencyKey: key,
  installationId: 1,
  repository: { id: 10, fullName: 'acme/api' },
  trigger,
  requestedAt: '2026-11-20T12:00:00Z',
});
