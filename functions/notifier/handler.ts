import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { notifierConfigSchema, parseEnv } from '#shared/config.ts';
import {
  handleNotification,
  type NotifierDependencies,
} from '#shared/notify/handle-notification.ts';
import { sesSender } from '#shared/notify/ses-sender.ts';
import { notificationSchema } from '#shared/queue/notification.ts';

const logger = new Logger({ serviceName: 'flowmeter-notifier' });
const config = parseEnv(notifierConfigSchema);
const deps: NotifierDependencies = {
  table: { db: createDocumentClient(), tableName: config.TABLE_NAME },
  send: sesSender(new SESv2Client({}), config.NOTIFY_FROM, config.SES_CONFIGURATION_SET),
  githubWebUrl: config.GITHUB_WEB_URL,
  unsubscribeBaseUrl: config.UNSUBSCRIBE_URL,
  now: () => new Date(),
  log: (message, details) => logger.info(message, details),
};

/**
 * Notification events → emails. A record that throws (SES refused, DynamoDB
 * unavailable) is reported as a batch item failure and retried by SQS; the
 * sent-email records keep the retry from mailing anyone twice.
 */
async function handleNotifications(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const notification = notificationSchema.parse(JSON.parse(record.body));
      logger.appendKeys({
        installationId: notification.installationId,
        event: notification.idempotencyKey,
      });
      const outcome = await handleNotification(notification, deps);
      logger.info('notification handled', { kind: notification.kind, ...outcome });
    } catch (error) {
      logger.error('notification failed; SQS will retry it', error as Error);
      failures.push({ itemIdentifier: record.messageId });
    } finally {
      logger.removeKeys(['installationId', 'event']);
    }
  }
  return { batchItemFailures: failures };
}

export const handler = middy(handleNotifications).use(injectLambdaContext(logger));
