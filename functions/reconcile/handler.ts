import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '#shared/aws/clients.ts';
import { parseEnv } from '#shared/config.ts';
import { dispatchCopilotJobs } from '#shared/copilot/dispatch-copilot-jobs.ts';
import { createAppClient } from '#shared/github/app-client.ts';
import { appCredentialsSource } from '#shared/github/app-credentials.ts';
import { appDeliveryLog } from '#shared/github/delivery-log.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { functionMetrics } from '#shared/powertools/metrics.ts';
import { holidaysJobMessage } from '#shared/queue/holidays-job.ts';
import { sendMessages } from '#shared/queue/send-batch.ts';
import { dueHolidayJobs } from '#shared/store/holiday-resolution.ts';
import { dispatchReconciliation } from '#shared/sync/dispatch-reconciliation.ts';
import { dispatchTeamsReadings } from '#shared/teams/dispatch-teams-readings.ts';
import { redeliverFailed } from '#shared/webhooks/redeliver-failed.ts';
import { reconcileFunction } from './function.ts';

const logger = functionLogger(reconcileFunction);
const metrics = functionMetrics(reconcileFunction);
const config = parseEnv(reconcileFunction.config);
const table = { db: createDocumentClient(), tableName: config.TABLE_NAME };
const sqs = createSqsClient();
const credentials = appCredentialsSource(config);

/**
 * The daily schedule, catching what webhooks missed: an incremental sync of
 * every active repository (a re-read of its window where PRs were missing), a reading of every organisation's teams, the
 * public holidays of calendars that lack them or run out, and one
 * redelivery of each delivery that failed; and fetching the Copilot usage
 * days GitHub published since yesterday.
 */
async function reconcile(_event: unknown, context: Context) {
  const now = new Date();
  const { queued, resyncs, stillShort } = await dispatchReconciliation(
    table,
    sqs,
    config.SYNC_QUEUE_URL,
    now,
  );
  const copilotJobs = await dispatchCopilotJobs(table, sqs, config.COPILOT_QUEUE_URL, now);
  const teamsReadings = await dispatchTeamsReadings(table, sqs, config.TEAMS_QUEUE_URL, now);
  const holidayJobs = await dueHolidayJobs(table, now);
  await sendMessages(sqs, config.HOLIDAYS_QUEUE_URL, holidayJobs.map(holidaysJobMessage));
  const octokit = createAppClient({
    ...(await credentials()),
    baseUrl: config.GITHUB_API_URL,
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
  const redeliveries = await redeliverFailed(table, appDeliveryLog(octokit), now);
  metrics.addMetric('RedeliveriesRequested', MetricUnit.Count, redeliveries);
  metrics.addMetric('RepositoriesResynced', MetricUnit.Count, resyncs);
  // Every day, zero included: the alarm (docs/operating.md) fires on one or more.
  metrics.addMetric('RepositoriesStillShort', MetricUnit.Count, stillShort);
  const done = {
    queued,
    resyncs,
    stillShort,
    copilotJobs,
    teamsReadings,
    holidayJobs: holidayJobs.length,
    redeliveries,
  };
  logger.info('reconciliation queued', done);
  return done;
}

export const handler = middy(reconcile).use(injectLambdaContext(logger)).use(logMetrics(metrics));
