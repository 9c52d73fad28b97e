import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { SQSClient } from '@aws-sdk/client-sqs';
import { copilotUsageFunction } from '#functions/copilot-usage/function.ts';
import { dashboardFunction } from '#functions/dashboard/function.ts';
import { reconcileFunction } from '#functions/reconcile/function.ts';
import { rollupDispatcherFunction } from '#functions/rollup-dispatcher/function.ts';
import { syncWorkerFunction } from '#functions/sync-worker/function.ts';
import { teamsFunction } from '#functions/teams/function.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { type FunctionDefinition, queueUrlVariable } from '#shared/function-definition.ts';
import type { RollupJob } from '#shared/queue/rollup-job.ts';
import { readDeployConfig } from '../deploy-config.ts';
import { functionDefinitions } from '../functions.ts';
import { type EmbeddedAws, localSlackUrlKey, startEmbeddedAws } from './embedded-aws.ts';
import { type HttpHandler, startFrontDoor } from './front-door.ts';
import { lambdaContext } from './lambda-context.ts';
import { type QueueHandler, type QueuePoller, startQueuePoller } from './queue-poller.ts';
import { resumeInterruptedSyncs } from './resume-syncs.ts';
import { schedulePeriodMs } from './schedule-period.ts';
import type { UsageMeter } from './usage-meter.ts';

export interface LocalStackOptions {
  /** Front door port; 0 picks a free one. The AWS stand-ins use the next three when set. */
  port: number;
  webhookSecret: string;
  /** Persist DynamoDB and SQS here; in memory when absent. */
  dataDir?: string;
  /** The GitHub to sync from (the simulator locally); without it no sync worker runs. */
  github?: {
    url: string;
    appId: number;
    privateKeyPath: string;
    daysBack?: number;
    /** The App's OAuth client: the dashboard signs people in with it. */
    oauthClient: { clientId: string; clientSecret: string };
  };
  /** Sync workers at once (as the deployed event source's cap). @default 3 */
  syncWorkers?: number;
  /** Counts every invocation and AWS request, for the cost benchmark. */
  meter?: UsageMeter;
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
  /** What a scheduled function's timer does, now: invokes it with its schedule's input, or `input`. */
  runScheduleNow(definition: FunctionDefinition, input?: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void>;
}

/** Without a GitHub to sync from, nothing would consume sync jobs: these stay off. */
const needGitHub: readonly FunctionDefinition[] = [
  syncWorkerFunction,
  reconcileFunction,
  copilotUsageFunction,
  teamsFunction,
  dashboardFunction,
];
/** Sync workers running at once on a laptop, unless told otherwise (the deployed cap is 10). */
const defaultSyncWorkers = 3;

export { localSlackUrlKey };

let started = false;

/**
 * Flowmeter on a laptop: the embedded AWS servers, and every function of
 * `infra/functions.ts` — its very handler, with the environment its config
 * schema parses — behind a local HTTP front door, queue pollers and timers,
 * as its definition's trigger says.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  // Handlers read their configuration once, at import, as on a Lambda cold
  // start: a second stack in this process would talk to the first one's ports.
  if (started) throw new Error('[local] one local stack per process');
  started = true;
  const aws = await startEmbeddedAws({
    dataDir: options.dataDir,
    meter: options.meter,
    ports:
      options.port === 0
        ? undefined
        : { dynamodb: options.port + 1, sqs: options.port + 2, ses: options.port + 3 },
  });
  // The notifier's links point at the front door, so it listens before any handler loads.
  const frontDoor = await startFrontDoor(options.port);
  const defaults = readDeployConfig(() => undefined);
  const { github } = options;
  Object.assign(process.env, aws.env, {
    GITHUB_WEBHOOK_SECRET: options.webhookSecret,
    NOTIFY_FROM: process.env.NOTIFY_FROM ?? 'flowmeter@flowmeter.example',
    UNSUBSCRIBE_URL: `${frontDoor.url}/unsubscribe`,
    GITHUB_WEB_URL: github?.url ?? defaults.githubWebUrl,
    RETENTION_DAYS: String(defaults.retentionDays),
    DASHBOARD_URL: frontDoor.url,
    // Fixed, unlike the session key: the Slack URLs sealed under it persist in .data/ across restarts.
    SLACK_URL_KEY: process.env.SLACK_URL_KEY ?? localSlackUrlKey,
    ...(github && {
      GITHUB_API_URL: github.url,
      GITHUB_APP_ID: String(github.appId),
      GITHUB_APP_PRIVATE_KEY_PATH: github.privateKeyPath,
      // The simulator enforces GitHub's secondary limits itself; no client-side spacing needed.
      GITHUB_REQUEST_SPACING_MS: '0',
      SYNC_DAYS_BACK: String(github.daysBack ?? defaults.daysBack),
      GITHUB_CLIENT_ID: github.oauthClient.clientId,
      GITHUB_CLIENT_SECRET: github.oauthClient.clientSecret,
      // A new key each start: a restart signs everyone out, as it should on a laptop.
      DASHBOARD_SESSION_KEY: randomBytes(32).toString('hex'),
    }),
  });
  // Metrics are EMF lines CloudWatch turns into graphs; on a laptop they would only clutter the output.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const running = functionDefinitions.filter((fn) => github || !needGitHub.includes(fn));
  // Every configuration checked before any handler runs: a missing variable names its function.
  for (const definition of running) {
    try {
      parseEnv(definition.config);
    } catch (error) {
      throw new Error(`[local] ${definition.name}: ${(error as Error).message}`);
    }
  }
  if (github) {
    const table = { db: createDocumentClient(), tableName: aws.tableName };
    const resumed = await resumeInterruptedSyncs(table, new SQSClient({}), aws.syncQueueUrl);
    if (resumed.length > 0) console.log(`resuming interrupted syncs: ${resumed.join(', ')}`);
  }

  const pollers: QueuePoller[] = [];
  const timers: NodeJS.Timeout[] = [];
  const handlers = new Map<FunctionDefinition, (event: unknown) => Promise<unknown>>();
  for (const definition of running) {
    const loaded = (await import(`#functions/${definition.name}/handler.ts`)) as {
      handler: (event: never, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
    };
    const handler = options.meter
      ? options.meter.lambda(definition.name, loaded.handler)
      : loaded.handler;
    const invoke = (event: unknown) =>
      handler(event as never, lambdaContext(definition.name, definition.timeoutSeconds));
    handlers.set(definition, invoke);
    const { trigger } = definition;
    if (trigger.kind === 'http') {
      for (const route of trigger.routes) {
        frontDoor.addRoute({
          ...route,
          functionName: definition.name,
          timeoutSeconds: definition.timeoutSeconds,
          handler: handler as HttpHandler,
        });
      }
    } else if (trigger.kind === 'queue') {
      // The laptop's SQS event source mapping, with the deployed batch size and timeout.
      pollers.push(
        await startQueuePoller({
          sqs: new SQSClient({}),
          queueUrl: aws.env[queueUrlVariable[trigger.queue]] as string,
          functionName: definition.name,
          handler: handler as QueueHandler,
          batchSize: trigger.batchSize,
          timeoutSeconds: definition.timeoutSeconds,
          concurrency:
            trigger.queue === 'sync' ? (options.syncWorkers ?? defaultSyncWorkers) : undefined,
        }),
      );
    } else {
      // The laptop's EventBridge schedule: a timer that invokes the handler and keeps nobody waiting.
      const period = schedulePeriodMs(defaults[trigger.schedule]);
      const timer = setInterval(() => invoke(trigger.input).catch(() => undefined), period);
      timer.unref();
      timers.push(timer);
    }
  }
  const dispatcher = handlers.get(rollupDispatcherFunction);
  return {
    url: frontDoor.url,
    webhookUrl: `${frontDoor.url}/webhooks/github`,
    aws,
    pollers,
    async rollUpNow(installationId) {
      if (!dispatcher) throw new Error('[local] the rollup dispatcher is not running');
      const result = (await dispatcher({ mode: 'now', installationId })) as {
        queued: Pick<RollupJob, 'installationId' | 'week'>[];
      };
      return result.queued;
    },
    runScheduleNow(definition, input) {
      const invoke = handlers.get(definition);
      if (!invoke || definition.trigger.kind !== 'schedule') {
        throw new Error(`[local] ${definition.name} is not a running scheduled function`);
      }
      return invoke(input ?? definition.trigger.input);
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
