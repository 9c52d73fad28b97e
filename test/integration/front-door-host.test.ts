import { request } from 'node:http';
import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { keys } from '#shared/store/keys.ts';
import { testSecret, useLocalStack } from '../support/local-stack.ts';
import { installationPayload, repository } from '../support/payloads.ts';

const installationId = 7070;
const harness = useLocalStack();

/** A request to the front door with the Host header given (fetch always sends the URL's own). */
function send(
  host: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<{ status: number; body: string }> {
  const { port } = new URL(harness.stack.url);
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
      body: `misdirected request: this local front door answers only Host 127.0.0.1:${port} or localhost:${port}\n`,
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
