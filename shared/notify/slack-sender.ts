import {
  type FetchFunction,
  IncomingWebhook,
  IncomingWebhookHTTPError,
  type IncomingWebhookSendArguments,
} from '@slack/webhook';

/**
 * Posts to a Slack incoming webhook with Slack's own client. Slack's
 * documented answers decide what follows: a 5xx (or no answer) is retried
 * here a few times with backoff, then thrown as SlackUnavailableError for
 * the queue to redeliver (a bounded number of times, then the dead-letter
 * queue); 429 is thrown at once for the same; any other 4xx — 403/404
 * `no_service` (the webhook was revoked), 404 `channel_not_found`, 410
 * `channel_is_archived`, 403 `action_prohibited`, 400 `invalid_payload` —
 * will not change on retry and comes back as `refused`, to be recorded.
 */
export type SlackOutcome = { sent: true } | { sent: false; status: number; error: string };

export type PostToSlack = (
  url: string,
  message: IncomingWebhookSendArguments,
) => Promise<SlackOutcome>;

export class SlackUnavailableError extends Error {}

export interface SlackPosterOptions {
  /** Retries of a 5xx or a lost answer within one delivery. @default 2 */
  retries?: number;
  /** First backoff, doubled each retry. @default 500 */
  minTimeoutMs?: number;
  /** Per request. @default 10000 */
  timeoutMs?: number;
  /** For tests and the local sink; the global fetch otherwise. */
  fetch?: FetchFunction;
}

export function slackPoster(options: SlackPosterOptions = {}): PostToSlack {
  const { retries = 2, minTimeoutMs = 500, timeoutMs = 10_000 } = options;
  return async (url, message) => {
    const hook = new IncomingWebhook(url, {
      timeout: timeoutMs,
      retryConfig: { retries, minTimeout: minTimeoutMs, factor: 2, randomize: true },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    try {
      await hook.send(message);
      return { sent: true };
    } catch (error) {
      const http = error instanceof IncomingWebhookHTTPError ? error : undefined;
      if (http && http.statusCode < 500 && http.statusCode !== 429)
        return {
          sent: false,
          status: http.statusCode,
          error: http.body.trim().slice(0, 200) || http.statusMessage,
        };
      // The URL is a secret: the error names only what Slack answered.
      throw new SlackUnavailableError(
        `[slack] ${http ? `answered ${http.statusCode} ${http.body.trim().slice(0, 100)}` : 'did not answer'}`,
      );
    }
  };
}
