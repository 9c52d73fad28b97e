import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface QueuePollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  functionName: string;
  handler: QueueHandler;
  /** Records per invocation, as the event source mapping's BatchSize. */
  batchSize?: number;
  /** Invocations running at once, as Lambda's concurrency. @default 1 */
  concurrency?: number;
  timeoutSeconds: number;
  /** Called when an invocation throws; the whole batch then returns to the queue. */
  onInvocationError?: (error: unknown) => void;
}

export interface QueuePoller {
  readonly functionName: string;
  stop(): Promise<void>;
}

/**
 * The laptop's SQS event source mapping: long-polls the queue, calls the
 * handler with a real SQS event, deletes what succeeded and leaves the rest
 * to reappear after the visibility timeout (and reach the DLQ after
 * maxReceiveCount receives), exactly as Lambda's ReportBatchItemFailures does.
 */
export async function startQueuePoller(options: QueuePollerOptions): Promise<QueuePoller> {
  const { sqs, queueUrl, batchSize = 10 } = options;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes?.QueueArn ?? queueUrl;
  const abort = new AbortController();

  async function pollOnce(): Promise<void> {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    if (Messages.length === 0) return;
    const records: SQSRecord[] = Messages.map((message) => ({
      messageId: message.MessageId as string,
      receiptHandle: message.ReceiptHandle as string,
      body: message.Body ?? '',
      attributes: message.Attributes as unknown as SQSRecord['attributes'],
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    }));
    let failedIds: Set<string>;
    try {
      const response = await options.handler(
        { Records: records },
        lambdaContext(options.functionName, options.timeoutSeconds),
      );
      failedIds = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      options.onInvocationError?.(error);
      return;
    }
    const done = records.filter((record) => !failedIds.has(record.messageId));
    if (done.length === 0) return;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((record, index) => ({
          Id: String(index),
          ReceiptHandle: record.receiptHandle,
        })),
      }),
    );
  }

  const lane = async () => {
    while (!abort.signal.aborted) {
      try {
        await pollOnce();
      } catch (error) {
        if (abort.signal.aborted) return;
        options.onInvocationError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const lanes = Array.from({ length: options.concurrency ?? 1 }, lane);

  return {
    functionName: options.functionName,
    async stop() {
      abort.abort();
      await Promise.all(lanes);
    },
  };
}
