import { copilotUsageFunction } from '#functions/copilot-usage/function.ts';
import { holidaysFunction } from '#functions/holidays/function.ts';
import { notifierFunction } from '#functions/notifier/function.ts';
import { rollupWorkerFunction } from '#functions/rollup-worker/function.ts';
import { syncWorkerFunction } from '#functions/sync-worker/function.ts';
import { teamsFunction } from '#functions/teams/function.ts';
import type { FunctionDefinition, QueueName } from '#shared/function-definition.ts';

/**
 * The one definition of Flowmeter's work queues: the CDK stack and the local
 * stack both create them from these values, so the two never drift apart.
 */
export interface QueueDefinition {
  logicalName: string;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** Receives before a message is parked on the dead-letter queue. */
  maxReceiveCount: number;
  deadLetter: { logicalName: string; retentionSeconds: number };
}

/**
 * A queue feeding `consumer`, with its dead-letter queue `<name>-dlq`.
 * Visibility is six times the consumer's timeout (AWS guidance for
 * SQS-triggered Lambdas, so retries of a throttled batch stay invisible);
 * messages live four days, five receives before the DLQ, which keeps them a
 * fortnight.
 */
function workQueue(logicalName: string, consumer: FunctionDefinition): QueueDefinition {
  return {
    logicalName,
    visibilityTimeoutSeconds: consumer.timeoutSeconds * 6,
    retentionSeconds: 4 * 24 * 3600,
    maxReceiveCount: 5,
    deadLetter: { logicalName: `${logicalName}-dlq`, retentionSeconds: 14 * 24 * 3600 },
  };
}

export const queues = {
  /** One job per repository: bring it up to date from its checkpoint. */
  sync: workQueue('sync-jobs', syncWorkerFunction),
  /** One job per installation: recompute a finished week and the weeks marked dirty. */
  rollup: workQueue('rollup-jobs', rollupWorkerFunction),
  /** Events that may become emails: sync complete, and weekly digests after the rollup. */
  notify: workQueue('notifications', notifierFunction),
  /** One job per installation: store its Copilot usage report days not stored yet. */
  copilot: workQueue('copilot-jobs', copilotUsageFunction),
  /** One job per installation: read its organisation's teams and compare them with what is stored. */
  teams: workQueue('teams-jobs', teamsFunction),
  /** One job per calendar a settings page saved with a holiday region: resolve its dates. */
  holidays: workQueue('holiday-jobs', holidaysFunction),
} as const satisfies Record<QueueName, QueueDefinition>;
