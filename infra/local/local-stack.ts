import type { Server } from 'node:http';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ScheduledEvent } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import type { RollupJob } from '#shared/queue/rollup-job.ts';
import { notifier, rollupWorker, syncWorker } from '#shared/resources.ts';
import { type EmbeddedAws, startEmbeddedAws } from './embedded-aws.ts';
import { startFrontDoor } from './front-door.ts';
import { lambdaContext } from './lambda-context.ts';
import { type QueueHandler, type QueuePoller, startQueuePoller } from './queue-poller.ts';
import { resumeInterruptedSyncs } from './resume-syncs.ts';

export interface LocalStackOptions {
  /** Front door port; 0 picks a free one. The AWS stand-ins use the next three when set. */
  port: number;
  webhookSecret: string;
  /** Persist DynamoDB and SQS here; in memory when absent. */
  dataDir?: string;
  /** The GitHub to sync from (the simulator locally); without it no sync worker runs. */
  github?: { url: string; appId: number; privateKeyPath: string; daysBack?: number };
}

export interface LocalStack {
  url: string;
  /** Running queue pollers (rollup worker, notifier; the sync worker when `github` was given). */
  pollers: QueuePoller[];
  webhookUrl: string;
  aws: EmbeddedAws;
  /**
   * What Monday 06:00 does, now: invokes the rollup dispatcher as
   * `npm run rollup -- --function` does in AWS, for one installation or all,
   * and returns the jobs it queued.
   */
  rollUpNow(installationId?: number): Promise<Pick<RollupJob, 'installationId' | 'week'>[]>;
  stop(): Promise<void>;
}

let started = false;

/**
 * Flowmeter on a laptop: the embedded AWS servers, and the deployed functions'
 * own handlers behind a local HTTP front door and queue pollers.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  // Handlers read their configuration once, at import, as on a Lambda cold
  // start: a second stack in this process would talk to the first one's ports.
  if (started) throw new Error('[local] one local stack per process');
  started = true;
  const aws = await startEmbeddedAws({
    dataDir: options.dataDir,
    ports:
      options.port === 0
        ? undefined
        : { dynamodb: options.port + 1, sqs: options.port + 2, ses: options.port + 3 },
  });
  Object.assign(process.env, aws.env, { GITHUB_WEBHOOK_SECRET: options.webhookSecret });
  // Metrics are EMF lines CloudWatch turns into graphs; on a laptop they would only clutter the output.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const webhook = await import('#functions/webhook/handler.ts');
  const statusApi = await import('#functions/status-api/handler.ts');
  const unsubscribe = await import('#functions/unsubscribe/handler.ts');
  const pollers: QueuePoller[] = [];
  const timers: NodeJS.Timeout[] = [];
  // The laptop's EventBridge schedules: a timer that invokes a handler and keeps nobody waiting.
  const every = (ms: number, invoke: () => Promise<unknown>) => {
    const timer = setInterval(() => invoke().catch(() => undefined), ms);
    timer.unref();
    timers.push(timer);
  };
  // The laptop's SQS event source mappings: each worker's batch size and timeout as deployed.
  const consume = async (
    queueUrl: string,
    functionName: string,
    handler: QueueHandler,
    worker: { batchSize: number; timeoutSeconds: number },
    concurrency?: number,
  ) => {
    pollers.push(
      await startQueuePoller({
        sqs: new SQSClient({}),
        queueUrl,
        functionName,
        handler,
        batchSize: worker.batchSize,
        timeoutSeconds: worker.timeoutSeconds,
        concurrency,
      }),
    );
  };
  if (options.github) {
    Object.assign(process.env, {
      GITHUB_API_URL: options.github.url,
      GITHUB_APP_ID: String(options.github.appId),
      GITHUB_APP_PRIVATE_KEY_PATH: options.github.privateKeyPath,
      // The simulator enforces GitHub's secondary limits itself; no client-side spacing needed.
      GITHUB_REQUEST_SPACING_MS: '0',
      SYNC_DAYS_BACK: String(options.github.daysBack ?? 90),
    });
    const syncWorkerFunction = await import('#functions/sync-worker/handler.ts');
    const table = { db: createDocumentClient(), tableName: aws.tableName };
    const resumed = await resumeInterruptedSyncs(table, new SQSClient({}), aws.syncQueueUrl);
    if (resumed.length > 0) console.log(`resuming interrupted syncs: ${resumed.join(', ')}`);
    // The daily EventBridge schedule; `npm run reconcile` fires it at once.
    const reconcileFunction = await import('#functions/reconcile/handler.ts');
    every(24 * 3_600_000, () =>
      reconcileFunction.handler(
        { time: new Date().toISOString() } as ScheduledEvent,
        lambdaContext('reconcile', 300),
      ),
    );
    await consume(aws.syncQueueUrl, 'sync-worker', syncWorkerFunction.handler, syncWorker, 3);
  }
  // The weekly rollup: its worker behind the rollup queue, and the hourly
  // EventBridge schedule that feeds it (`npm run rollup` dispatches at once).
  const rollupWorkerFunction = await import('#functions/rollup-worker/handler.ts');
  const rollupDispatcher = await import('#functions/rollup-dispatcher/handler.ts');
  const dispatchRollups = (event: { mode: 'scheduled' | 'now'; installationId?: number }) =>
    rollupDispatcher.handler(event, lambdaContext('rollup-dispatcher', 60));
  every(3_600_000, () => dispatchRollups({ mode: 'scheduled' }));
  await consume(aws.rollupQueueUrl, 'rollup-worker', rollupWorkerFunction.handler, rollupWorker);
  const frontDoor = await startFrontDoor(
    [
      {
        method: 'POST',
        path: '/webhooks/github',
        functionName: 'webhook',
        handler: webhook.handler,
      },
      { method: 'GET', path: '/api/', functionName: 'status-api', handler: statusApi.handler },
      ...['GET', 'POST'].map((method) => ({
        method,
        path: '/unsubscribe/',
        functionName: 'unsubscribe',
        handler: unsubscribe.handler,
      })),
    ],
    options.port,
  );
  // The notifier's links point at this front door, so it starts once that listens.
  Object.assign(process.env, {
    NOTIFY_FROM: process.env.NOTIFY_FROM ?? 'flowmeter@flowmeter.example',
    UNSUBSCRIBE_URL: `${frontDoor.url}/unsubscribe`,
    GITHUB_WEB_URL: options.github?.url ?? 'https://github.com',
  });
  const notifierFunction = await import('#functions/notifier/handler.ts');
  await consume(aws.notifyQueueUrl, 'notifier', notifierFunction.handler, notifier);
  return {
    url: frontDoor.url,
    webhookUrl: `${frontDoor.url}/webhooks/github`,
    aws,
    pollers,
    async rollUpNow(installationId) {
      return (await dispatchRollups({ mode: 'now', installationId })).queued;
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(pollers.map((poller) => poller.stop()));
      await closeServer(frontDoor.server);
      await aws.stop();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
