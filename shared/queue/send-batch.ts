import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { backoffDelay } from '../backoff.ts';

/** SQS accepts at most ten entries per SendMessageBatch call. */
const maxBatchEntries = 10;

export interface OutgoingMessage {
  /** Unique within one call; SQS reports failures by this id. */
  id: string;
  body: string;
  delaySeconds?: number;
}

export interface SendBatchOptions {
  /** Attempts per batch before giving up on the entries still failing. */
  attempts?: number;
  /** First backoff, doubled on each attempt, with full jitter. */
  baseDelayMs?: number;
}

export class QueueSendError extends Error {
  readonly failedIds: string[];
  constructor(failedIds: string[], cause: unknown) {
    super(
      `[flowmeter] ${failedIds.length} message(s) could not be queued: ${failedIds.join(', ')}`,
      {
        cause,
      },
    );
    this.name = 'QueueSendError';
    this.failedIds = failedIds;
  }
}

/**
 * Sends messages in batches of ten, retrying only the entries SQS reports as
 * failed (a batch call can partly succeed). Throws QueueSendError naming the
 * entries that never went through, so the caller can fail the delivery and
 * let it be redelivered.
 */
export async function sendMessages(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  messages: OutgoingMessage[],
  { attempts = 4, baseDelayMs = 50 }: SendBatchOptions = {},
): Promise<void> {
  for (let start = 0; start < messages.length; start += maxBatchEntries) {
    let pending = messages.slice(start, start + maxBatchEntries);
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts && pending.length > 0; attempt++) {
      if (attempt > 0)
        await sleep(
          backoffDelay(attempt, { baseMs: baseDelayMs, capMs: Number.POSITIVE_INFINITY }),
        );
      try {
        const result = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: pending.map((message) => ({
              Id: message.id,
              MessageBody: message.body,
              DelaySeconds: message.delaySeconds,
            })),
          }),
        );
        const failed = new Set((result.Failed ?? []).map((entry) => entry.Id));
        lastError = result.Failed?.[0];
        pending = pending.filter((message) => failed.has(message.id));
      } catch (error) {
        lastError = error;
      }
    }
    if (pending.length > 0) {
      throw new QueueSendError(
        pending.map((message) => message.id),
        lastError,
      );
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
