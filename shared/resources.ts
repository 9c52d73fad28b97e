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
  /** One job per invocation: a job uses the whole time budget. */
  batchSize: 1,
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
  /** One installation's weeks per invocation. */
  batchSize: 1,
} as const;

export const notifier = {
  /** Lambda timeout of the notifier, in seconds. */
  timeoutSeconds: 60,
  /** Notifications are small; up to ten per invocation. */
  batchSize: 10,
} as const;

export interface QueueDefinition {
  logicalName: string;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** Receives before a message is parked on the dead-letter queue. */
  maxReceiveCount: number;
  deadLetter: { logicalName: string; retentionSeconds: number };
}

/**
 * A queue feeding a worker whose Lambda timeout is `workerTimeoutSeconds`,
 * with its dead-letter queue `<name>-dlq`. Visibility is six times the
 * timeout (AWS guidance for SQS-triggered Lambdas, so retries of a throttled
 * batch stay invisible); messages live four days, five receives before the
 * DLQ, which keeps them a fortnight.
 */
function workQueue(logicalName: string, workerTimeoutSeconds: number): QueueDefinition {
  return {
    logicalName,
    visibilityTimeoutSeconds: workerTimeoutSeconds * 6,
    retentionSeconds: 4 * 24 * 3600,
    maxReceiveCount: 5,
    deadLetter: { logicalName: `${logicalName}-dlq`, retentionSeconds: 14 * 24 * 3600 },
  };
}

export const queues = {
  sync: workQueue('sync-jobs', syncWorker.timeoutSeconds),
  /** One job per installation: recompute a finished week and the weeks marked dirty. */
  rollup: workQueue('rollup-jobs', rollupWorker.timeoutSeconds),
  /** Events that may become emails: sync complete, and weekly digests after the rollup. */
  notify: workQueue('notifications', notifier.timeoutSeconds),
} as const satisfies Record<string, QueueDefinition>;
