import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';

export interface SentWebhook {
  status: number;
  body: unknown;
}

/** Posts a webhook signed exactly as GitHub signs it (X-Hub-Signature-256 over the raw body). */
export async function sendSignedWebhook(options: {
  url: string;
  secret: string;
  event: string;
  payload: unknown;
  deliveryId?: string;
}): Promise<SentWebhook> {
  const body = JSON.stringify(options.payload);
  const response = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/flowmeter-local',
      'x-github-event': options.event,
      'x-github-delivery': options.deliveryId ?? randomUUID(),
      'x-hub-signature-256': await sign(options.secret, body),
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}
