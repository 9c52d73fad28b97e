/**
 * The one definition of Flowmeter's table and queues. The CDK constructs and
 * the local stack both build from these values, so the two never drift apart.
 */

export const table = {
  logicalName: 'flowmeter',
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after it passes. */
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    /** Every installation, for the listing API and the rollup dispatcher. */
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** A team's PRs by when they entered review: a week's "opened" is one range query. */
    { name: 'byOpened', partitionKey: 'teamOpened', sortKey: 'openedAt' },
    /** A team's PRs by when they closed (merged or not): a week's merges are one range query. */
    { name: 'byClosed', partitionKey: 'teamClosed', sortKey: 'closedAt' },
  ],
} as const;

export const syncWorker = {
  /** Lambda timeout of the sync worker, in seconds. */
  timeoutSeconds: 300,
  /**
   * V8 heap limits for the worker. It holds ~60 MiB at most (one chunk), but
   * left to its defaults V8 grows the heap lazily towards the function's
   * memory and the process peaks above 300 MiB on a long backfill; capped, it
   * collects sooner at no measurable cost in speed (`npm run bench`, part 4).
   */
  nodeOptions: '--max-old-space-size=160 --max-semi-space-size=2',
  /** Where its metrics go (Powertools EMF): the dashboard reads the same names. */
  metrics: { namespace: 'Flowmeter', service: 'flowmeter-sync-worker' },
} as const;

export const rollupWorker = {
  /** Lambda timeout of the rollup worker, in seconds. */
  timeoutSeconds: 300,
} as const;

export const notifier = {
  /** Lambda timeout of the notifier (issue #5), in seconds. */
  timeoutSeconds: 60,
} as const;

export interface QueueDefinition {
  logicalName: string;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** Receives before a message is parked on the dead-letter queue. */
  maxReceiveCount: number;
  deadLetter: { logicalName: string; retentionSeconds: number };
}

export const queues = {
  sync: {
    logicalName: 'sync-jobs',
    // AWS guidance for SQS-triggered Lambdas: visibility at least six times
    // the function timeout, so retries of a throttled batch stay invisible.
    visibilityTimeoutSeconds: syncWorker.timeoutSeconds * 6,
    retentionSeconds: 4 * 24 * 3600,
    maxReceiveCount: 5,
    deadLetter: { logicalName: 'sync-jobs-dlq', retentionSeconds: 14 * 24 * 3600 },
  },
  /** One job per installation: recompute a finished week and the weeks marked dirty. */
  rollup: {
    logicalName: 'rollup-jobs',
    visibilityTimeoutSeconds: rollupWorker.timeoutSeconds * 6,
    retentionSeconds: 4 * 24 * 3600,
    maxReceiveCount: 5,
    deadLetter: { logicalName: 'rollup-jobs-dlq', retentionSeconds: 14 * 24 * 3600 },
  },
  /** Events that may become emails: sync complete now, weekly digests with the rollup. */
  notify: {
    logicalName: 'notifications',
    visibilityTimeoutSeconds: notifier.timeoutSeconds * 6,
    retentionSeconds: 4 * 24 * 3600,
    maxReceiveCount: 5,
    deadLetter: { logicalName: 'notifications-dlq', retentionSeconds: 14 * 24 * 3600 },
  },
} as const satisfies Record<string, QueueDefinition>;
