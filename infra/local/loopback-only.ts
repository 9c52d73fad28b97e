import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

/**
 * The laptop stack's servers listen on 127.0.0.1, but a page on any site can
 * rebind its own name to 127.0.0.1 (DNS rebinding) and so reach their ports
 * with the browser's same-origin blessing. Its requests still carry its own
 * name as Host, which these servers do not answer to.
 */
export function ownHosts(server: Server): string[] {
  const { port } = server.address() as AddressInfo;
  // A browser leaves HTTP's own port out of Host.
  return ['127.0.0.1', 'localhost'].flatMap((name) =>
    port === 80 ? [name, `${name}:80`] : [`${name}:${port}`],
  );
}

/**
 * The refusal for a request naming another host (421 Misdirected Request):
 * the front door's status API has no authentication locally and the webhook
 * secret is a published default, so such a page could read every
 * installation's figures or post webhooks.
 */
export function misdirected(response: ServerResponse, hosts: readonly string[]): void {
  response.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`misdirected request: this local server answers only Host ${hosts.join(' or ')}\n`);
}

/**
 * Puts a server that only the AWS SDK should call (the embedded DynamoDB)
 * behind the same Host check, and refuses any request with an `Origin`
 * header, which the SDK never sends and every browser's cross-site request
 * does: dynalite answers any origin (`Access-Control-Allow-Origin: *`) and
 * takes any signature, so without this any web page could read or write
 * the local table.
 */
export function sdkOnly(server: Server): void {
  const listeners = server.listeners('request') as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const hosts = ownHosts(server);
    if (request.headers.origin !== undefined || !hosts.includes(request.headers.host ?? '')) {
      misdirected(response, hosts);
      return;
    }
    for (const listener of listeners) listener(request, response);
  });
}
