import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';
import { misdirected, ownHosts } from './loopback-only.ts';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Route {
  method: string;
  /** API Gateway syntax: `/webhooks/github`, `/api/{proxy+}`, `/unsubscribe/{id}/{token}`. */
  path: string;
  functionName: string;
  timeoutSeconds: number;
  handler: HttpHandler;
}

export interface FrontDoor {
  url: string;
  server: Server;
  /** Starts sending requests for `route` to its handler. */
  addRoute(route: Route): void;
}

/** A route's path as a pattern: `{name}` is one segment, `{proxy+}` the rest of the path. */
function pathPattern(path: string): RegExp {
  const segments = path.split('/').map((segment) => {
    if (segment === '{proxy+}') return '.+';
    if (/^\{\w+\}$/.test(segment)) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}$`);
}

/** API Gateway's HTTP API base64-encodes bodies it does not take for text. */
const textContentTypes = /^(application\/(json|x-www-form-urlencoded)|text\/)/;

/**
 * The laptop's API Gateway: turns each HTTP request into the HTTP API
 * (payload v2) event the deployed function receives and calls the very same
 * handler with it.
 */
export async function startFrontDoor(port: number): Promise<FrontDoor> {
  const routes: (Route & { pattern: RegExp })[] = [];
  const server = createServer((request, response) => {
    const hosts = ownHosts(server);
    if (!hosts.includes(request.headers.host?.toLowerCase() ?? '')) {
      misdirected(response, hosts);
      return;
    }
    serve(routes, request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: String(error) }));
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    addRoute: (route) => routes.push({ ...route, pattern: pathPattern(route.path) }),
  };
}

/** The Host values that name the front door's own address (it listens on 127.0.0.1 only). */
async function serve(
  routes: readonly (Route & { pattern: RegExp })[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const method = request.method ?? 'GET';
  const route = routes.find(
    (candidate) => candidate.method === method && candidate.pattern.test(url.pathname),
  );
  if (!route) {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: `no route ${method} ${url.pathname}` }));
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const event = apiGatewayEvent(request, url, method, Buffer.concat(chunks));
  const result = await route.handler(
    event,
    lambdaContext(route.functionName, route.timeoutSeconds),
  );
  // Payload v2 answers with its cookies apart; API Gateway sends each as a Set-Cookie header.
  response.writeHead(result.statusCode ?? 200, {
    ...(result.headers as Record<string, string>),
    ...(result.cookies?.length ? { 'set-cookie': result.cookies } : {}),
  });
  response.end(result.body ?? '');
}

function apiGatewayEvent(
  request: IncomingMessage,
  url: URL,
  method: string,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const asText = textContentTypes.test(headers['content-type'] ?? '');
  // Payload v2 hands cookies over apart from the headers, one string each.
  const cookies = headers.cookie?.split(';').map((cookie) => cookie.trim());
  delete headers.cookie;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : body.toString(asText ? 'utf8' : 'base64'),
    isBase64Encoded: body.length > 0 && !asText,
  };
}
