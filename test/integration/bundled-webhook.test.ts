import { pathToFileURL } from 'node:url';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedAws, startEmbeddedAws } from '#infra/local/embedded-aws.ts';
import { type HttpHandler, startFrontDoor } from '#infra/local/front-door.ts';
import { sendSignedWebhook } from '#infra/local/sign-and-send.ts';
import { incomingMessage } from '#shared/queue/message.ts';
import { syncJobSchema } from '#shared/queue/sync-job.ts';
import { synthesizeBundles } from '../support/lambda-bundles.ts';
import { installationPayload, repository } from '../support/payloads.ts';

/**
 * The artifact `cdk deploy` uploads, not the source: synthesize with esbuild
 * bundling on, load the webhook function's index.mjs and run it against the
 * embedded stack. Catches ESM/CommonJS and import-map mistakes that only the
 * bundle has.
 */
describe('bundled webhook function', () => {
  let aws: EmbeddedAws;
  let stopFrontDoor: () => void;
  let webhookUrl: string;

  beforeAll(async () => {
    const bundle = synthesizeBundles().find((b) => b.functionDir === 'webhook')?.path as string;

    aws = await startEmbeddedAws();
    Object.assign(process.env, aws.env, { GITHUB_WEBHOOK_SECRET: 'bundle-secret' });
    const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: HttpHandler };
    const frontDoor = await startFrontDoor(0);
    frontDoor.addRoute({
      method: 'POST',
      path: '/webhooks/github',
      functionName: 'webhook',
      timeoutSeconds: 10,
      handler,
    });
    webhookUrl = `${frontDoor.url}/webhooks/github`;
    stopFrontDoor = () => frontDoor.server.close();
  }, 120_000);

  afterAll(async () => {
    stopFrontDoor?.();
    await aws?.stop();
  });

  it('verifies, records and queues exactly as the source does', async () => {
    const response = await sendSignedWebhook({
      url: webhookUrl,
      secret: 'bundle-secret',
      event: 'installation',
      payload: installationPayload('created', 31, [repository(3100), repository(3101)]),
    });

    expect(response).toMatchObject({ status: 200, body: { outcome: 'processed' } });
    const { Messages = [] } = await new SQSClient({}).send(
      new ReceiveMessageCommand({ QueueUrl: aws.syncQueueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(
      Messages.map((m) => incomingMessage(syncJobSchema, m.Body ?? '').repository.id).sort(),
    ).toEqual([3100, 3101]);
  });

  it('rejects a bad signature with 401', async () => {
    const response = await sendSignedWebhook({
      url: webhookUrl,
      secret: 'not-the-secret',
      event: 'installation',
      payload: installationPayload('created', 32, [repository(3200)]),
    });

    expect(response.status).toBe(401);
  });
});
