import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '#shared/views/format.ts';

/**
 * The laptop's Slack: an incoming-webhook sink on 127.0.0.1, as the SES
 * inbox is the laptop's email. `POST /services/<anything>` records the
 * message and answers `ok` as Slack does; `GET /messages` lists them as
 * JSON, `GET /` as a page. `POST /faults` with `{"status": 404, "body":
 * "no_service", "times": 1}` makes the next posts fail as Slack documents
 * its failures, so a revoked or flaky webhook can be tried by hand.
 */
export interface SlackSinkMessage {
  /** The webhook's path: which team's URL it was posted to. */
  path: string;
  receivedAt: string;
  payload: { text?: string; blocks?: unknown[] };
}

export interface SlackSink {
  url: string;
  /** A webhook URL on the sink, for one team. */
  webhookUrl(name: string): string;
  messages(): SlackSinkMessage[];
  /** Posts received, answered with a fault or not. */
  posts(): number;
  /** The next `times` posts answer `status` with `body`. */
  fail(fault: { status: number; body: string; times: number }): void;
  stop(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function page(messages: readonly SlackSinkMessage[]): string {
  const items = messages
    .map(
      (message) =>
        `<li><p><strong>${escapeHtml(message.payload.text ?? '')}</strong> <small>${escapeHtml(message.receivedAt)} · ${escapeHtml(message.path)}</small></p><pre>${escapeHtml(JSON.stringify(message.payload.blocks ?? [], null, 2))}</pre></li>`,
    )
    .reverse()
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Slack sink · Flowmeter</title></head><body style="font-family:sans-serif;margin:24px"><h1>Slack messages (${messages.length})</h1><p>What Flowmeter posted to Slack incoming webhooks, newest first; the same as JSON at <a href="/messages">/messages</a>.</p><ol reversed>${items || '<p>None yet.</p>'}</ol></body></html>`;
}

export async function startSlackSink(port = 0): Promise<SlackSink> {
  const messages: SlackSinkMessage[] = [];
  let fault: { status: number; body: string; times: number } | undefined;
  let posts = 0;
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (request.method === 'GET' && path === '/messages')
      return send(200, 'application/json', JSON.stringify({ messages }));
    if (request.method === 'GET' && path === '/')
      return send(200, 'text/html; charset=utf-8', page(messages));
    if (request.method === 'POST' && path === '/faults') {
      fault = JSON.parse(await bodyOf(request)) as typeof fault;
      return send(204, 'text/plain', '');
    }
    if (request.method === 'POST' && path.startsWith('/services/')) {
      const body = await bodyOf(request);
      posts++;
      if (fault && fault.times > 0) {
        fault.times--;
        return send(fault.status, 'text/plain', fault.body);
      }
      try {
        messages.push({ path, receivedAt: new Date().toISOString(), payload: JSON.parse(body) });
      } catch {
        return send(400, 'text/plain', 'invalid_payload');
      }
      return send(200, 'text/plain', 'ok');
    }
    send(404, 'text/plain', 'not found');
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    webhookUrl: (name) => `${url}/services/${encodeURIComponent(name)}`,
    messages: () => [...messages],
    posts: () => posts,
    fail: (next) => {
      fault = { ...next };
    },
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
