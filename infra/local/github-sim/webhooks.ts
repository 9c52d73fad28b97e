import { createHmac, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';

/**
 * Webhook deliveries as GitHub sends them: the same headers, an HMAC-SHA256
 * (and legacy SHA-1) signature over the exact body, a delivery GUID, and a
 * delivery log that `GET /app/hook/deliveries` serves and
 * `POST /app/hook/deliveries/{id}/attempts` redelivers from.
 */
export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface Delivery {
  id: number;
  guid: string;
  deliveredAt: string;
  redelivery: boolean;
  durationMs: number;
  statusCode: number;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  body: string;
}

export class WebhookSender {
  private target: WebhookTarget | undefined;
  private nextId = 1;
  readonly appId: number;
  readonly deliveries: Delivery[] = [];

  constructor(appId: number, target?: WebhookTarget) {
    this.appId = appId;
    this.target = target;
  }

  configure(target: WebhookTarget): void {
    this.target = target;
  }

  /** Sends one event; the returned delivery records what the receiver answered. */
  async send(event: string, payload: Record<string, unknown>): Promise<Delivery> {
    return this.deliver(event, JSON.stringify(payload), randomUUID(), false);
  }

  /** Sends a logged delivery again, with its GUID and body, as GitHub's redelivery does. */
  async redeliver(id: number): Promise<Delivery | undefined> {
    const original = this.deliveries.find((delivery) => delivery.id === id);
    return original && this.deliver(original.event, original.body, original.guid, true);
  }

  private async deliver(
    event: string,
    body: string,
    guid: string,
    redelivery: boolean,
  ): Promise<Delivery> {
    if (!this.target) throw new Error('[github-sim] no webhook URL configured');
    const { url, secret } = this.target;
    const payload = JSON.parse(body) as {
      action?: string;
      installation?: { id: number };
      repository?: { id: number };
    };
    const started = Date.now();
    let statusCode = 0;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          accept: '*/*',
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/flowmeter-sim',
          'x-github-event': event,
          'x-github-delivery': guid,
          'x-github-hook-id': '1',
          'x-github-hook-installation-target-id': String(this.appId),
          'x-github-hook-installation-target-type': 'integration',
          'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
          'x-hub-signature-256': await sign(secret, body),
        },
        body,
      });
      statusCode = response.status;
      await response.arrayBuffer();
    } catch {
      statusCode = 0;
    }
    const delivery: Delivery = {
      id: this.nextId++,
      guid,
      deliveredAt: new Date(started).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      redelivery,
      durationMs: Date.now() - started,
      statusCode,
      event,
      action: payload.action ?? null,
      installationId: payload.installation?.id ?? null,
      repositoryId: payload.repository?.id ?? null,
      body,
    };
    this.deliveries.push(delivery);
    return delivery;
  }
}

/** The summary `GET /app/hook/deliveries` lists (hook-delivery-item). */
export function deliverySummary(delivery: Delivery) {
  return {
    id: delivery.id,
    guid: delivery.guid,
    delivered_at: delivery.deliveredAt,
    redelivery: delivery.redelivery,
    duration: delivery.durationMs / 1000,
    status:
      delivery.statusCode >= 200 && delivery.statusCode < 300
        ? 'OK'
        : delivery.statusCode === 0
          ? 'Failed to connect to host'
          : `Invalid HTTP Response: ${delivery.statusCode}`,
    status_code: delivery.statusCode,
    event: delivery.event,
    action: delivery.action,
    installation_id: delivery.installationId,
    repository_id: delivery.repositoryId,
    throttled_at: null,
  };
}
