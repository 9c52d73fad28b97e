/**
 * The one definition of Flowmeter's table: the CDK stack and the local stack
 * create it from these values, the store reads its keys and indexes from them.
 * (Queues are defined in `infra/queues.ts`, functions in `functions/<name>/function.ts`.)
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
    /**
     * An installation's PRs by when they entered review: a week's "opened" is
     * one range query. The key attributes keep the names they had when "team"
     * meant the organisation: renaming a GSI's key replaces the index, and
     * DynamoDB replaces one per deployment.
     */
    { name: 'byOpened', partitionKey: 'teamOpened', sortKey: 'openedAt' },
    /** An installation's PRs by when they closed (merged or not): a week's merges are one range query. */
    { name: 'byClosed', partitionKey: 'teamClosed', sortKey: 'closedAt' },
  ],
} as const;
