import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { GitHubSimulator } from '#infra/local/github-sim/server.ts';
import { incomingMessage } from '#shared/queue/message.ts';
import type { SyncCompleted } from '#shared/queue/sync-completed.ts';
import { syncJobSchema } from '#shared/queue/sync-job.ts';
import type { TableRef } from '#shared/store/table.ts';
import { runSync, type SyncOutcome } from '#shared/sync/run-sync.ts';
import {
  type SyncDependencies,
  type SyncMetric,
  type SyncSettings,
  type SyncStep,
  syncSettings,
} from '#shared/sync/sync-run.ts';
import { workerDependencies } from '#shared/sync/worker-dependencies.ts';
import { ProcessDied } from './dying-table.ts';
import type { StackHarness } from './local-stack.ts';

export class InjectedCrash extends Error {}

/** The deployed engine's settings over the full history, with the default reserve. */
export const testSyncSettings: SyncSettings = syncSettings({ daysBack: 0, reserve: 100 });

/** The worker's dependencies as the deployed handler wires them, aimed at the test stack and simulator. */
export function testWorkerDependencies(
  harness: StackHarness,
  sim: GitHubSimulator,
  owner: string,
  settings: SyncSettings,
  remainingMs: () => number = () => 240_000,
  count: SyncDependencies['count'] = () => undefined,
  table: TableRef = harness.table,
) {
  return workerDependencies({
    table,
    sqs: harness.sqs,
    syncQueueUrl: harness.stack.aws.syncQueueUrl,
    notifyQueueUrl: harness.stack.aws.notifyQueueUrl,
    rollupQueueUrl: harness.stack.aws.rollupQueueUrl,
    credentials: { appId: sim.appId, privateKey: sim.privateKey },
    githubUrl: sim.url,
    requestSpacingMs: 0,
    remainingMs,
    owner,
    settings,
    count,
  });
}

export interface DriveOptions {
  settings?: Partial<SyncSettings>;
  /** Throw out of the worker the n-th time (1-based) it reaches `step`. */
  crashAt?: { step: SyncStep; occurrence: number };
  /** The table the worker sees: a `dyingTable` crashes it at a write of its choosing. */
  table?: TableRef;
  /** Called at each step (after any crash check), to change the world mid-sync. */
  afterStep?: (step: SyncStep) => void;
  /** End each invocation after this many chunks, as a running-out time budget does. */
  chunksPerInvocation?: number;
  /** Stop driving once this holds. */
  done: () => Promise<boolean>;
  timeoutMs?: number;
}

/**
 * Plays the SQS → Lambda loop by hand so a test can crash the worker where
 * it likes: receives sync jobs from the real queue, runs the real sync loop,
 * deletes what finished, and after a crash makes the message visible again
 * with the clock moved past the crashed worker's lease — what SQS and time
 * would do in AWS.
 */
export async function driveSync(
  harness: StackHarness,
  sim: GitHubSimulator,
  options: DriveOptions,
) {
  const settings = { ...testSyncSettings, ...options.settings };
  const outcomes: SyncOutcome[] = [];
  const counted: Partial<Record<SyncMetric, number>> = {};
  const announced: SyncCompleted[] = [];
  let clockOffset = 0;
  let invocation = 0;
  let reached = 0;
  let crashes = 0;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await options.done())) {
    if (Date.now() > deadline)
      throw new Error(`sync not done in time; outcomes so far: ${outcomes.join(', ')}`);
    const { Messages = [] } = await harness.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: harness.stack.aws.syncQueueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 1,
      }),
    );
    const message = Messages[0];
    if (!message) continue;
    let chunks = 0;
    const deps = testWorkerDependencies(
      harness,
      sim,
      `test-invocation-${invocation++}`,
      settings,
      () => (chunks >= (options.chunksPerInvocation ?? Number.POSITIVE_INFINITY) ? 0 : 240_000),
      (metric, value) => {
        counted[metric] = (counted[metric] ?? 0) + value;
      },
      options.table,
    );
    deps.now = () => Date.now() + clockOffset;
    const notify = deps.notify;
    deps.notify = async (event) => {
      announced.push(event);
      await notify(event);
    };
    deps.onStep = (step) => {
      if (step === 'advanced') chunks++;
      if (options.crashAt?.step === step && ++reached === options.crashAt.occurrence) {
        crashes++;
        throw new InjectedCrash(`crashed after ${step}`);
      }
      options.afterStep?.(step);
    };
    try {
      outcomes.push(await runSync(incomingMessage(syncJobSchema, message.Body ?? ''), deps));
      await harness.sqs.send(
        new DeleteMessageCommand({
          QueueUrl: harness.stack.aws.syncQueueUrl,
          ReceiptHandle: message.ReceiptHandle,
        }),
      );
    } catch (error) {
      if (!(error instanceof InjectedCrash || error instanceof ProcessDied)) throw error;
      if (error instanceof ProcessDied) crashes++;
      // A crashed invocation never releases its lease: time must pass it.
      clockOffset += settings.leaseMs + 1000;
      await harness.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: harness.stack.aws.syncQueueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
  }
  return { outcomes, crashes, counted, announced };
}
