import { request } from 'node:http';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { keys } from '#shared/store/keys.ts';
import { testSecret, useLocalStack } from '../support/local-stack.ts';
import { installationPayload, repository } from '../support/payloads.ts';

const installationId = 7070;
const harness = useLocalStack();

/** A request to the front door (or `port`) with the Host header given (fetch always sends the URL's own). */
function send(
  host: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
  port = new URL(harness.stack.url).port,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, host } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** `installation.created`, signed with the stack's secret, as a page that knows the published development secret could post it. */
async function installationWebhook(host: string) {
  const body = JSON.stringify(installationPayload('created', installationId, [repository(70_700)]));
  return send(
    host,
    'POST',
    '/webhooks/github',
    {
      'content-type': 'application/json',
      'x-github-event': 'installation',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': await sign(testSecret, body),
    },
    body,
  );
}

describe('the local front door', () => {
  it('refuses a request naming another host before any handler runs', async () => {
    const { port } = new URL(harness.stack.url);

    const webhook = await installationWebhook('evil.example');
    const status = await send(`evil.example:${port}`, 'GET', '/api/installations');

    expect(webhook).toEqual({
      status: 421,
      body: `misdirected request: this local server answers only Host 127.0.0.1:${port} or localhost:${port}\n`,
    });
    expect(status.status).toBe(421);
    expect(await harness.get(keys.installation(installationId))).toBeUndefined();
  });

  it('serves its own address, by number or as localhost', async () => {
    const { port } = new URL(harness.stack.url);

    const webhook = await installationWebhook(`LOCALHOST:${port}`);
    const status = await send(`127.0.0.1:${port}`, 'GET', '/api/installations');

    expect(webhook.status).toBe(200);
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({
      installations: expect.arrayContaining([expect.objectContaining({ installationId })]),
    });
  });
});

describe('the embedded DynamoDB', () => {
  it('answers the AWS SDK, and refuses a web page (an Origin header) and another host name', async () => {
    const endpoint = new URL(harness.stack.aws.env.AWS_ENDPOINT_URL_DYNAMODB ?? '');
    const listTables = (headers: Record<string, string>) =>
      fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          ...headers,
        },
        body: '{}',
      });
    // What a page on any site could send, once it knows the port.
    const fromPage = await listTables({ origin: 'https://evil.example' });
    expect(fromPage.status).toBe(421);
    expect(await fromPage.text()).not.toContain(harness.stack.aws.tableName);
    const sdk = new DynamoDBClient({ endpoint: endpoint.href });
    expect((await sdk.send(new ListTablesCommand({}))).TableNames).toContain(
      harness.stack.aws.tableName,
    );
    // The same request under another name (a DNS-rebound page's) is refused too.
    const rebound = await send(
      `evil.example:${endpoint.port}`,
      'POST',
      '/',
      { 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      '{}',
      endpoint.port,
    );
    expect(rebound.status).toBe(421);
  });
});
