import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { BadRequestError, PayloadTooLargeError, SignatureError } from '#shared/errors.ts';
import { maxPayloadBytes, readWebhookRequest } from '#shared/webhooks/webhook-request.ts';

function event(overrides: Partial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 {
  return {
    headers: {
      'x-github-event': 'ping',
      'x-github-delivery': 'd6d7a2c0-1111-11ee-8000-000000000001',
      'x-hub-signature-256': 'sha256=abc',
    },
    body: '{"zen":"hi"}',
    isBase64Encoded: false,
    ...overrides,
  } as APIGatewayProxyEventV2;
}

describe('readWebhookRequest', () => {
  it('reads the raw body and the GitHub headers', () => {
    const request = readWebhookRequest(event({}));

    expect(request).toEqual({
      eventName: 'ping',
      deliveryId: 'd6d7a2c0-1111-11ee-8000-000000000001',
      signature: 'sha256=abc',
      rawBody: '{"zen":"hi"}',
    });
  });

  it('decodes a base64-encoded body back to the bytes GitHub signed', () => {
    const raw = '{"title":"naïve café ✓"}';
    const request = readWebhookRequest(
      event({ body: Buffer.from(raw).toString('base64'), isBase64Encoded: true }),
    );

    expect(request.rawBody).toBe(raw);
  });

  it('rejects a body over 25 MB with 413 before anything else', () => {
    const body = 'x'.repeat(maxPayloadBytes + 1);

    expect(() => readWebhookRequest(event({ body, headers: {} }))).toThrow(PayloadTooLargeError);
  });

  it('accepts a body of exactly 25 MB', () => {
    const body = 'x'.repeat(maxPayloadBytes);

    expect(readWebhookRequest(event({ body })).rawBody).toHaveLength(maxPayloadBytes);
  });

  it('answers 401 when the signature header is missing', () => {
    const { 'x-hub-signature-256': _, ...headers } = event({}).headers;

    const error = captureError(() => readWebhookRequest(event({ headers })));

    expect(error).toBeInstanceOf(SignatureError);
    expect(error.status).toBe(401);
  });

  it.each([
    ['x-github-event', /X-GitHub-Event/],
    ['x-github-delivery', /X-GitHub-Delivery/],
  ])('answers 400 when %s is missing', (header, message) => {
    const headers: Record<string, string | undefined> = { ...event({}).headers };
    delete headers[header];

    const error = captureError(() => readWebhookRequest(event({ headers })));

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  it('refuses a delivery id that could not come from GitHub', () => {
    const headers = { ...event({}).headers, 'x-github-delivery': 'a b/../c' };

    expect(() => readWebhookRequest(event({ headers }))).toThrow(BadRequestError);
  });
});

function captureError(act: () => unknown): Error & { status: number } {
  try {
    act();
  } catch (error) {
    return error as Error & { status: number };
  }
  throw new Error('expected an error');
}
