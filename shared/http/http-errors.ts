import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { FlowmeterError } from '../errors.ts';
import { jsonResponse } from './json-response.ts';

/** What the mapper logs through (a Powertools Logger is one). */
export interface ErrorLog {
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, error: Error): void;
}

export interface HttpErrorsOptions {
  /** What the caller reads when the failure is ours (details go to the log only). */
  fallbackMessage: string;
  /** How an error is answered; JSON `{"error": "..."}` unless the route serves pages. */
  render?: (statusCode: number, message: string) => APIGatewayProxyStructuredResultV2;
}

/**
 * The one place an HTTP function turns errors into answers: a client error
 * (a FlowmeterError under 500) answers its own status and message; anything
 * else — a configuration error naming a secret's ARN, a DynamoDB failure —
 * is logged and answers 500 with the fallback, so no detail of ours reaches
 * the caller. (middy's http-error-handler answers with the error message as
 * the whole body; Flowmeter's endpoints answer JSON or a page.)
 */
export function httpErrors(
  logger: ErrorLog,
  {
    fallbackMessage,
    render = (status, message) => jsonResponse(status, { error: message }),
  }: HttpErrorsOptions,
): MiddlewareObj<unknown, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const { error } = request;
      if (error instanceof FlowmeterError && error.status < 500) {
        logger.warn('request refused', { status: error.status, reason: error.message });
        request.response = render(error.status, error.message);
        return;
      }
      logger.error('request failed', error as Error);
      request.response = render(500, fallbackMessage);
    },
  };
}
