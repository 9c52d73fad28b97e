import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { slackUrlKeySource } from '#shared/aws/slack-url-key.ts';
import { parseEnv } from '#shared/config.ts';
import {
  handleNotification,
  type NotifierDependencies,
} from '#shared/notify/handle-notification.ts';
import { sesSender } from '#shared/notify/ses-sender.ts';
import { slackPoster } from '#shared/notify/slack-sender.ts';
import { functionLogger } from '#shared/powertools/logger.ts';
import { eachMessage } from '#shared/queue/each-message.ts';
import { notificationSchema } from '#shared/queue/notification.ts';
import { notifierFunction } from './function.ts';

const logger = functionLogger(notifierFunction);
const config = parseEnv(notifierFunction.config);
// Without a key (a deployment predating nudges) a nudge fails loudly rather than goes unsent silently.
const slackKey = slackUrlKeySource(config);
const deps: NotifierDependencies = {
  table: { db: createDocumentClient(), tableName: config.TABLE_NAME },
  send: sesSender(new SESv2Client({}), config.NOTIFY_FROM, config.SES_CONFIGURATION_SET),
  githubWebUrl: config.GITHUB_WEB_URL,
  unsubscribeBaseUrl: config.UNSUBSCRIBE_URL,
  now: () => new Date(),
  log: (message, details) => logger.info(message, details),
  ...(slackKey && {
    nudge: {
      dashboardUrl: config.DASHBOARD_URL,
      slackKey,
      postToSlack: slackPoster({ retries: 2, minTimeoutMs: 500, timeoutMs: 5000 }),
    },
  }),
};

/**
 * Notification events → emails. A record that throws (SES refused, DynamoDB
 * unavailable) is reported as a batch item failure and retried by SQS; the
 * sent-email records keep the retry from mailing anyone twice.
 */
async function handleNotifications(event: SQSEvent): Promise<SQSBatchResponse> {
  return eachMessage(event, logger, notificationSchema, 'notification', async (notification) => {
    const outcome = await handleNotification(notification, deps);
    logger.info('notification handled', { kind: notification.kind, ...outcome });
  });
}

export const handler = middy(handleNotifications).use(injectLambdaContext(logger));
