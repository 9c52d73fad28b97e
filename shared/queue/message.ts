import type * as z from 'zod/mini';
import type { OutgoingMessage } from './send-batch.ts';

/**
 * The one convention for Flowmeter's queue messages: each kind has a zod
 * schema with a version field and an idempotency key; a message is checked
 * against it where it is sent (a bad one never leaves), and parsed with it
 * where it is received (a consumer never acts on one it does not understand).
 */
export function outgoingMessage<Schema extends z.ZodMiniType>(
  schema: Schema,
  message: z.infer<Schema>,
  /** Unique within one SendMessageBatch call. */
  id: string,
  delaySeconds?: number,
): OutgoingMessage {
  return {
    id,
    body: JSON.stringify(schema.parse(message)),
    ...(delaySeconds === undefined ? {} : { delaySeconds }),
  };
}

export function incomingMessage<Schema extends z.ZodMiniType>(
  schema: Schema,
  body: string,
): z.infer<Schema> {
  return schema.parse(JSON.parse(body));
}
