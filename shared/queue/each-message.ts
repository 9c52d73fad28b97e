import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod/mini';
import { incomingMessage } from './message.ts';

/** What every Flowmeter queue message carries, and every worker logs with. */
type Keyed = { installationId: number; idempotencyKey: string };

/**
 * Handles an SQS batch one message at a time, as every Flowmeter queue
 * worker does: parses the body with the message's schema, logs under its
 * installation and idempotency key, and hands it on. A message that fails
 * to parse or to be handled is logged and reported as a batch item failure,
 * so SQS retries only it (and parks it on the dead-letter queue after
 * maxReceiveCount receives); log keys are dropped before the next.
 */
export async function eachMessage<Schema extends z.ZodMiniType<Keyed>>(
  event: SQSEvent,
  logger: Pick<Logger, 'error' | 'resetKeys' | 'appendKeys'>,
  schema: Schema,
  /** What a message is, for the failure log: "sync job", "notification". */
  what: string,
  handle: (message: z.infer<Schema>, record: SQSRecord) => Promise<void>,
): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const message = incomingMessage(schema, record.body);
      logger.appendKeys({
        installationId: message.installationId,
        idempotencyKey: message.idempotencyKey,
      });
      await handle(message, record);
    } catch (error) {
      logger.error(`${what} failed; SQS will retry it`, error as Error);
      failures.push({ itemIdentifier: record.messageId });
    } finally {
      logger.resetKeys();
    }
  }
  return { batchItemFailures: failures };
}
