import { dispatchReconciliation } from '#shared/sync/dispatch-reconciliation.ts';
import { connectToRunningStack } from './embedded-aws.ts';

/**
 * `npm run reconcile`: what the daily schedule does, now, against the running
 * local stack: an incremental sync job for every active repository.
 */
const { table, sqs, syncQueueUrl } = connectToRunningStack();
const queued = await dispatchReconciliation(table, sqs, syncQueueUrl, new Date());
console.log(`queued ${queued} incremental sync job(s); watch GET /api/installations/{id}/repos`);
