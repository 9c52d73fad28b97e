import type { SQSClient } from '@aws-sdk/client-sqs';
import { createAppClient } from '../github/app-client.ts';
import type { AppCredentials } from '../github/app-credentials.ts';
import { outgoingMessage } from '../queue/message.ts';
import { rollupJobSchema } from '../queue/rollup-job.ts';
import { sendMessages } from '../queue/send-batch.ts';
import { syncCompletedSchema } from '../queue/sync-completed.ts';
import { syncJobMessage } from '../queue/sync-job.ts';
import type { TableRef } from '../store/table.ts';
import { fetchChunk } from './fetch-chunk.ts';
import { letInHeldBack } from './let-in-held-back.ts';
import { rollUpOnceRecent } from './recent-rollup.ts';
import type { SyncDependencies, SyncSettings } from './sync-run.ts';
import { tableSyncStore } from './sync-state.ts';

export interface WorkerWiring {
  table: TableRef;
  sqs: Pick<SQSClient, 'send'>;
  syncQueueUrl: string;
  notifyQueueUrl: string;
  rollupQueueUrl: string;
  credentials: AppCredentials;
  githubUrl: string;
  requestSpacingMs: number;
  remainingMs: () => number;
  owner: string;
  settings: SyncSettings;
  count: SyncDependencies['count'];
}

/**
 * The event is sent just before the run is recorded complete (so a crash
 * between the two repeats it rather than losing it); delivered a few
 * seconds later, the notifier finds the repository complete, and can tell
 * whether it was the installation's last to finish.
 */
const syncCompletedDelaySeconds = 5;
/** The week indexes a rollup reads lag a moment behind the writes of the chunk that completed it. */
const indexSettleSeconds = 2;

/** The sync loop's dependencies as the deployed worker wires them: Octokit, SQS, the clock. */
export function workerDependencies(wiring: WorkerWiring): SyncDependencies {
  return {
    store: tableSyncStore(wiring.table),
    chunksFor: (installationId) => {
      const { graphql } = createAppClient({
        ...wiring.credentials,
        installationId,
        baseUrl: wiring.githubUrl,
        remainingMs: wiring.remainingMs,
        requestSpacingMs: wiring.requestSpacingMs,
      });
      return (repository, page, followUps, delivery) =>
        fetchChunk(graphql, repository, page, followUps, delivery);
    },
    enqueue: (job, delaySeconds) =>
      sendMessages(wiring.sqs, wiring.syncQueueUrl, [syncJobMessage(job, delaySeconds)]),
    admitNext: async ({ installationId, repositoryId }) => {
      await letInHeldBack(
        wiring.table,
        wiring.sqs,
        wiring.syncQueueUrl,
        installationId,
        repositoryId,
      );
    },
    rollUpOnceRecent: async (installationId) => {
      await rollUpOnceRecent(wiring.table, installationId, new Date(), (job) =>
        sendMessages(wiring.sqs, wiring.rollupQueueUrl, [
          outgoingMessage(rollupJobSchema, job, String(installationId), indexSettleSeconds),
        ]),
      );
    },
    notify: (event) =>
      sendMessages(wiring.sqs, wiring.notifyQueueUrl, [
        outgoingMessage(syncCompletedSchema, event, 'event', syncCompletedDelaySeconds),
      ]),
    now: () => Date.now(),
    remainingMs: wiring.remainingMs,
    owner: wiring.owner,
    settings: wiring.settings,
    count: wiring.count,
  };
}
