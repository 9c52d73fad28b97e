import { SQSClient } from '@aws-sdk/client-sqs';
import { syncWorkerFunction } from '#functions/sync-worker/function.ts';
import { startQueuePoller } from '#infra/local/queue-poller.ts';

/**
 * The sync worker alone in a process, as on Lambda: the same handler behind
 * an SQS poller, pointed by its environment at servers another process runs.
 * On SIGTERM it prints its peak RSS (what the sync engine itself holds).
 */
const { handler } = await import('#functions/sync-worker/handler.ts');
const poller = await startQueuePoller({
  sqs: new SQSClient({}),
  queueUrl: process.env.SYNC_QUEUE_URL as string,
  functionName: 'sync-worker',
  handler,
  batchSize: syncWorkerFunction.trigger.batchSize,
  timeoutSeconds: syncWorkerFunction.timeoutSeconds,
});
process.once('SIGTERM', () => {
  poller.stop().then(() => {
    // maxRSS is in KiB.
    console.log(JSON.stringify({ peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
    process.exit(0);
  });
});
console.log('ready');
