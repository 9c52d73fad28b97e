import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BadRequestError, PayloadTooLargeError, SignatureError } from '../errors.ts';

/** GitHub caps webhook payloads at 25 MB and drops larger ones; so do we. */
export const maxPayloadBytes = 25 * 1024 * 1024;

export interface WebhookRequest {
  eventName: string;
  deliveryId: string;
  signature: string;
  /** The body exactly as GitHub signed it. */
  rawBody: string;
}

/**
 * Reads a webhook out of an API Gateway HTTP API (payload v2) event. Checks
 * size first (cheap), then that a signature is present (unauthenticated
 * callers learn nothing more), then the headers GitHub always sends.
 */
export function readWebhookRequest(event: APIGatewayProxyEventV2): WebhookRequest {
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64')
    : Buffer.from(event.body ?? '', 'utf8');
  if (body.byteLength > maxPayloadBytes) {
    throw new PayloadTooLargeError(body.byteLength, maxPayloadBytes);
  }
  // HTTP APIs lower-case header names; the local front door does the same.
  const headers = event.headers ?? {};
  const signature = headers['x-hub-signature-256'];
  if (!signature) throw new SignatureError('missing X-Hub-Signature-256 header');
  const eventName = headers['x-github-event'];
  const deliveryId = headers['x-github-delivery'];
  if (!eventName) throw new BadRequestError('missing X-GitHub-Event header');
  if (!deliveryId) throw new BadRequestError('missing X-GitHub-Delivery header');
  if (!/^[\w.-]{1,100}$/.test(deliveryId)) {
    throw new BadRequestError('X-GitHub-Delivery is not a delivery id');
  }
  return { eventName, deliveryId, signature, rawBody: body.toString('utf8') };
}
