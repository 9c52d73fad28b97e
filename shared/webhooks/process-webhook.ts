import type { SQSClient } from '@aws-sdk/client-sqs';
import { BadRequestError } from '../errors.ts';
import type { WebhookSecrets } from '../github/webhook-secrets.ts';
import { copilotJobMessage } from '../queue/copilot-job.ts';
import { sendMessages } from '../queue/send-batch.ts';
import { syncJobMessages } from '../queue/sync-job.ts';
import { teamsJobMessage } from '../queue/teams-job.ts';
import { claimDelivery, completeDelivery, releaseDelivery } from '../store/deliveries.ts';
import { getInstallation, type InstallationRecord } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';
import type { EventContext } from './event-context.ts';
import { routeFor } from './routes.ts';
import { verifySignature } from './verify-signature.ts';
import type { WebhookRequest } from './webhook-request.ts';

export interface WebhookDependencies {
  table: TableRef;
  sqs: Pick<SQSClient, 'send'>;
  syncQueueUrl: string;
  copilotQueueUrl: string;
  teamsQueueUrl: string;
  /** Current secret first, then any being rotated out. */
  secrets: () => Promise<WebhookSecrets>;
  deliveryRetentionDays: number;
  /** How long a claimed delivery blocks redeliveries if its attempt dies. */
  deliveryLeaseSeconds: number;
  now: () => Date;
}

export interface WebhookOutcome {
  statusCode: 200 | 202;
  outcome: 'processed' | 'duplicate' | 'ignored' | 'pong';
  deliveryId: string;
  eventName: string;
  detail: string;
}

/**
 * Verifies, deduplicates and acts on one webhook delivery. Throws a
 * FlowmeterError (with its HTTP status) for bad input; anything else thrown is
 * an infrastructure failure, after which the delivery can be redelivered.
 */
export async function processWebhook(
  request: WebhookRequest,
  deps: WebhookDependencies,
): Promise<WebhookOutcome> {
  await verifySignature(await deps.secrets(), request.rawBody, request.signature);
  const payload = parseJson(request.rawBody);
  const { eventName, deliveryId } = request;
  const reply = (statusCode: 200 | 202, outcome: WebhookOutcome['outcome'], detail: string) => ({
    statusCode,
    outcome,
    deliveryId,
    eventName,
    detail,
  });

  if (eventName === 'ping') return reply(200, 'pong', 'ping received');
  const handler = routeFor(eventName, payload.action);
  if (!handler) return reply(202, 'ignored', `${eventName}.${String(payload.action)} is not used`);
  if (!hasInstallation(payload)) {
    return reply(202, 'ignored', `${eventName} was not sent to an App installation`);
  }
  // Deleted is final (installation ids are never used again): whatever an
  // event of it says, older or newer, it changes nothing and asks for nothing.
  const installation = await recordedInstallation(deps.table, payload.installation.id);
  if (installation?.status === 'deleted') {
    return reply(202, 'ignored', `installation ${installation.installationId} was deleted`);
  }

  const now = deps.now();
  const claim = await claimDelivery(deps.table, {
    deliveryId,
    eventName,
    now,
    leaseSeconds: deps.deliveryLeaseSeconds,
    retentionDays: deps.deliveryRetentionDays,
  });
  if (claim === 'duplicate') return reply(200, 'duplicate', 'delivery already processed');

  const context: EventContext = {
    deliveryId,
    now,
    table: deps.table,
    installation,
    requestSync: (sync) =>
      sendMessages(deps.sqs, deps.syncQueueUrl, syncJobMessages({ ...sync, deliveryId, now })),
    requestCopilotUsage: (installationId) =>
      sendMessages(deps.sqs, deps.copilotQueueUrl, [
        copilotJobMessage({
          version: 1,
          kind: 'copilot-usage',
          idempotencyKey: `${deliveryId}:copilot`,
          installationId,
          trigger: 'installation',
          requestedAt: now.toISOString(),
        }),
      ]),
    requestTeamsReading: (installationId, trigger) =>
      sendMessages(deps.sqs, deps.teamsQueueUrl, [
        teamsJobMessage({
          version: 1,
          kind: 'teams',
          idempotencyKey: `${deliveryId}:teams`,
          installationId,
          trigger,
          requestedAt: now.toISOString(),
        }),
      ]),
  };
  try {
    const detail = await handler(payload, context);
    await completeDelivery(deps.table, deliveryId, detail);
    return reply(200, 'processed', detail);
  } catch (error) {
    await releaseDelivery(deps.table, deliveryId);
    throw error;
  }
}

function parseJson(rawBody: string): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch (error) {
    throw new BadRequestError('body is not valid JSON', { cause: error });
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new BadRequestError('body is not a JSON object');
  }
  return payload as Record<string, unknown>;
}

function hasInstallation(
  payload: Record<string, unknown>,
): payload is { installation: { id: unknown } } {
  const installation = payload.installation;
  return typeof installation === 'object' && installation !== null && 'id' in installation;
}

/** The stored installation of an id as the payload gives it (one that is no id is the handler's to refuse). */
async function recordedInstallation(
  table: TableRef,
  id: unknown,
): Promise<InstallationRecord | undefined> {
  return Number.isSafeInteger(id) ? getInstallation(table, id as number) : undefined;
}
