import type { Server } from 'node:http';
import { type EmbeddedAws, startEmbeddedAws } from './embedded-aws.ts';
import { startFrontDoor } from './front-door.ts';

export interface LocalStackOptions {
  /** Front door port; 0 picks a free one. The AWS stand-ins use the next three when set. */
  port: number;
  webhookSecret: string;
  /** Persist DynamoDB and SQS here; in memory when absent. */
  dataDir?: string;
}

export interface LocalStack {
  url: string;
  webhookUrl: string;
  aws: EmbeddedAws;
  stop(): Promise<void>;
}

/**
 * Flowmeter on a laptop: the embedded AWS servers, and the deployed functions'
 * own handlers behind a local HTTP front door.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const aws = await startEmbeddedAws({
    dataDir: options.dataDir,
    ports:
      options.port === 0
        ? undefined
        : { dynamodb: options.port + 1, sqs: options.port + 2, ses: options.port + 3 },
  });
  // Handlers read their configuration once, at import, as on a Lambda cold start.
  Object.assign(process.env, aws.env, { GITHUB_WEBHOOK_SECRET: options.webhookSecret });
  const webhook = await import('#functions/webhook/handler.ts');
  const statusApi = await import('#functions/status-api/handler.ts');
  const frontDoor = await startFrontDoor(
    [
      {
        method: 'POST',
        path: '/webhooks/github',
        functionName: 'webhook',
        handler: webhook.handler,
      },
      { method: 'GET', path: '/api/', functionName: 'status-api', handler: statusApi.handler },
    ],
    options.port,
  );
  return {
    url: frontDoor.url,
    webhookUrl: `${frontDoor.url}/webhooks/github`,
    aws,
    async stop() {
      await closeServer(frontDoor.server);
      await aws.stop();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
