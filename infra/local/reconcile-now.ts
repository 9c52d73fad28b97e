import { createAppClient } from '#shared/github/app-client.ts';
import { appDeliveryLog } from '#shared/github/delivery-log.ts';
import { dispatchReconciliation } from '#shared/sync/dispatch-reconciliation.ts';
import { dispatchTeamsReadings } from '#shared/teams/dispatch-teams-readings.ts';
import { redeliverFailed } from '#shared/webhooks/redeliver-failed.ts';
import { demoApp, simulatorPort } from './demo.ts';
import { connectToRunningStack } from './embedded-aws.ts';
import { loadOrCreateAppKey } from './github-sim/app-key-file.ts';

/**
 * `npm run reconcile`: what the daily schedule does, now, against the running
 * local stack: an incremental sync job for every active repository (a
 * re-sync of its window where PRs were missing), a
 * reading of every installation's teams, and one redelivery of each webhook
 * delivery the simulator logged as failed.
 */
const port = Number(process.env.PORT ?? 3000);
const { table, sqs, syncQueueUrl, teamsQueueUrl } = connectToRunningStack(port);
const now = new Date();
const { queued, resyncs, stillShort } = await dispatchReconciliation(table, sqs, syncQueueUrl, now);
const teamsReadings = await dispatchTeamsReadings(table, sqs, teamsQueueUrl, now);
const app = await loadOrCreateAppKey(demoApp.keyDir, demoApp.appId);
const octokit = createAppClient({
  ...app,
  baseUrl: `http://127.0.0.1:${simulatorPort(port)}`,
  remainingMs: () => 60_000,
  requestSpacingMs: 0,
});
const redelivered = await redeliverFailed(table, appDeliveryLog(octokit), now);
console.log(
  `queued ${queued} incremental sync job(s), ${resyncs} re-sync(s) of a window with PRs missing (${stillShort} repository(ies) still short after one) and ${teamsReadings} teams reading(s), asked for ${redelivered} failed delivery(ies) again; watch GET /api/installations/{id}/repos`,
);
