import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Handles an SQS batch one record at a time, as every Flowmeter queue worker
 * does. A record that throws is logged and reported as a batch item failure,
 * so SQS retries only it (and parks it on the dead-letter queue after
 * maxReceiveCount receives); the log keys a record appended are dropped
 * before the next.
 */
export async function eachRecord(
  event: SQSEvent,
  logger: Pick<Logger, 'error' | 'resetKeys'>,
  /** What a record is, for the failure log: "sync job", "notification". */
  what: string,
  handle: (record: SQSRecord) => Promise<void>,
): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await handle(record);
    } catch (error) {
      logger.error(`${what} failed; SQS will retry it`, error as Error);
      failures.push({ itemIdentifier: record.messageId });
    } finally {
      logger.resetKeys();
    }
  }
  return { batchItemFailures: failures };
}
