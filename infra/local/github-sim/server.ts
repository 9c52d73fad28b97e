import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import manifest from '#infra/github-app-manifest.json' with { type: 'json' };
import { Activity } from './activity.ts';
import {
  AppAuthority,
  type AppCredentials,
  AuthError,
  generateAppCredentials,
} from './app-auth.ts';
import { type CopilotMetricsMode, CopilotUsage } from './copilot-usage.ts';
import { Dataset, type DatasetOptions, type SimRepository, type SimUser } from './dataset.ts';
import { FaultInjector, type FaultOptions } from './faults.ts';
import { handleGraphql } from './graphql-api.ts';
import {
  type RateLimitOptions,
  type RateLimitState,
  RateLimits,
  rateLimitHeaders,
} from './rate-limits.ts';
import { restRoutes } from './rest-api.ts';
import type { AppPermissions } from './rest-objects.ts';
import { notFound, type RestReply } from './rest-reply.ts';
import { teamRoutes } from './rest-teams.ts';
import { guests, outsider, partialAccess, serveUser } from './user-api.ts';
import { type OAuthClient, UserAuthority, type WebReply } from './user-auth.ts';
import { pullRequestPage } from './web-pages.ts';
import { deliverySummary, WebhookSender, type WebhookTarget } from './webhooks.ts';

/**
 * A local api.github.com (and github.com's sign-in) for one GitHub App
 * installed on one or more organisations: App JWT → installation token, the
 * REST and GraphQL subset Flowmeter uses (its organisations' teams among
 * it), GitHub's rate limits and headers,
 * people signing in for user tokens that see what GitHub would show them
 * (user-api.ts), and a request log with counters.
 */
type OrganisationOptions = Omit<DatasetOptions, 'now' | 'idsFrom'> & {
  now?: Date;
  /**
   * What this organisation accepted of the App's permissions, when not what
   * every installation did (`appPermissions` below): one installation
   * without `members`, say, beside one with it.
   */
  appPermissions?: AppPermissions;
};

export interface GitHubSimulatorOptions {
  /** The first organisation to install the App (what `dataset`, `activity`, `copilot` speak of). */
  dataset: OrganisationOptions;
  /** More organisations that installed the App, each its own installation, data and rate limits. */
  organisations?: readonly OrganisationOptions[];
  /** @default 1001 */
  appId?: number;
  /** The App's key; a fresh one is generated when absent. */
  credentials?: AppCredentials;
  rateLimits?: RateLimitOptions;
  faults?: FaultOptions;
  /** Where simulated activity sends webhooks; can also be set later with `webhooks.configure`. */
  webhook?: WebhookTarget;
  /** The App's OAuth client, for signing people in; generated when absent. */
  oauthClient?: OAuthClient;
  /**
   * What the App may do, as every installation accepted it (unless its
   * organisation says otherwise); leave one out to see GitHub refuse what
   * needs it.
   * @default the manifest's `default_permissions` (infra/github-app-manifest.json)
   */
  appPermissions?: AppPermissions;
  /** What the Copilot usage metrics reports answer. @default 'enabled' */
  copilotMetrics?: CopilotMetricsMode;
  /** @default 0 (a free port) */
  port?: number;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  route: string;
  status: number;
  installationId?: number;
  graphqlCost?: number;
}

/** One organisation's installation of the App, and what plays its people's activity. */
export interface SimInstallation {
  installationId: number;
  dataset: Dataset;
  /** What the installation was granted: its tokens, GraphQL and REST answer by it. */
  permissions: AppPermissions;
  activity: Activity;
  copilot: CopilotUsage;
}

export interface GitHubSimulator {
  url: string;
  /** Every installation the simulator serves, the first organisation's first. */
  installations: ReadonlyMap<number, SimInstallation>;
  appId: number;
  privateKey: string;
  installationId: number;
  dataset: Dataset;
  /** Plays people's activity, changing the data and sending webhooks (`activity.teams` for teams). */
  activity: Activity;
  /** Webhook target and the delivery log. */
  webhooks: WebhookSender;
  /** The organisation's Copilot usage reports; set `mode` to change GitHub's answer. */
  copilot: CopilotUsage;
  /** The App's OAuth client id and secret: people sign in with them (`/login/oauth/...`). */
  oauthClient: OAuthClient;
  /** Who may administer the organisation's settings: its first member. */
  admin: SimUser;
  /** `octo-outsider`: a member of no organisation; GitHub lists no installation for them. */
  outsider: SimUser;
  /**
   * `octo-collaborator`: no member, an outside collaborator on the first
   * organisation's first public repository (on none when it has no public one).
   */
  collaborator: { user: SimUser; repository: SimRepository | undefined };
  /** `octo-restricted`: a member of the first organisation kept out of its first private repository. */
  restricted: { user: SimUser; withheld: SimRepository | undefined };
  /** Every request served, oldest first. */
  requestLog: RequestLogEntry[];
  /** Requests per route (`GET /repos/{owner}/{repo}/pulls`, `POST /graphql`, ...). */
  counters(): { requests: Record<string, number>; graphqlPoints: number };
  /** Replaces the fault settings from the next request on. */
  setFaults(faults: FaultOptions): void;
  /** Moves the simulator's clock (token expiry, rate-limit windows) forward. */
  advanceClock(ms: number): void;
  stop(): Promise<void>;
}

const documentation = 'https://docs.github.com/rest';

type ServedReply = RestReply & {
  route: string;
  installationId?: number;
  graphqlCost?: number;
  rateLimit?: RateLimitState;
};

export async function startGitHubSimulator(
  options: GitHubSimulatorOptions,
): Promise<GitHubSimulator> {
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const appId = options.appId ?? 1001;
  const appPermissions = options.appPermissions ?? manifest.default_permissions;
  const credentials = options.credentials ?? generateAppCredentials(appId);
  const authority = new AppAuthority(credentials, now);
  const limits = new RateLimits(options.rateLimits ?? {}, now);
  const faults = new FaultInjector(options.faults ?? {}, options.dataset.seed, now);
  const visible = (repo: { fullName: string }) => !faults.isGone(repo.fullName);
  const webhooks = new WebhookSender(appId, options.webhook);
  const installations = new Map<number, SimInstallation>();
  let repositoriesSoFar = 0;
  for (const [index, { appPermissions: granted, ...organisation }] of [
    options.dataset,
    ...(options.organisations ?? []),
  ].entries()) {
    const permissions = granted ?? appPermissions;
    const orgData = new Dataset({
      ...organisation,
      now: organisation.now ?? new Date(now()),
      // Ids never shared between organisations, the first keeping the ids it always had.
      idsFrom: { repositories: repositoriesSoFar, members: 20_000 + index * 1000 },
    });
    repositoriesSoFar += orgData.repositories.length;
    installations.set(organisation.installationId, {
      installationId: organisation.installationId,
      dataset: orgData,
      permissions,
      activity: new Activity(orgData, webhooks, organisation.installationId, permissions, now),
      copilot: new CopilotUsage(orgData, now, options.copilotMetrics),
    });
  }
  const first = installations.get(options.dataset.installationId) as SimInstallation;
  const { dataset, activity, copilot, installationId } = first;
  const everyone = [...installations.values()].flatMap((installation) =>
    installation.dataset.members.filter((member) => member.type === 'User'),
  );
  const admin = dataset.members.find((member) => member.type === 'User') as SimUser;
  const users = new UserAuthority([...everyone, ...guests], now, options.oauthClient);
  const installationFor = (id: number) => installations.get(id) ?? first;
  /** The organisation a web path (`/OWNER/...`) belongs to. */
  const datasetOfPath = (path: string) =>
    [...installations.values()].find(
      (installation) =>
        installation.dataset.organisation.login.toLowerCase() === path.split('/')[1]?.toLowerCase(),
    )?.dataset ?? dataset;
  /** A signed report download of whichever organisation's reports it is. */
  const reportDownload = (url: URL) => {
    for (const installation of installations.values()) {
      const file = installation.copilot.download(url);
      if (file) return file;
    }
    return null;
  };
  const requestLog: RequestLogEntry[] = [];
  let baseUrl = '';

  const rateLimitsOf = (id: number) => ({
    core: limits.state(id, 'core'),
    graphql: limits.state(id, 'graphql'),
  });

  async function serve(request: IncomingMessage): Promise<ServedReply> {
    const url = new URL(request.url ?? '/', baseUrl);
    const method = request.method ?? 'GET';
    const authorization = request.headers.authorization ?? '';
    const [scheme, credential = ''] = authorization.split(' ');

    if (url.pathname.startsWith('/app/')) {
      if (scheme?.toLowerCase() !== 'bearer')
        return { ...requiresAuthentication(), route: `${method} ${url.pathname}` };
      authority.verifyJwt(credential);
      return serveApp(url, method);
    }

    if (!credential) return { ...requiresAuthentication(), route: `${method} ${url.pathname}` };
    const person = users.userFor(credential);
    if (person)
      return serveUser(url, method, person, {
        installations: [...installations.values()],
        appId,
        visible,
        baseUrl,
        at: now(),
      });
    const caller = authority.installationFor(credential);
    // GitHub's secondary-limit points: 1 for a read or a GraphQL query, 5 for other writes.
    const refusal = faults.enter(method === 'GET' || url.pathname === '/graphql' ? 1 : 5);
    if (refusal) return { ...refusal, route: `${method} ${url.pathname}`, installationId: caller };
    try {
      await faults.delay();
      return await serveInstallation(request, url, method, caller);
    } finally {
      faults.leave();
    }
  }

  /** Endpoints that authenticate as the App itself (JWT). */
  async function serveApp(url: URL, method: string): Promise<ServedReply> {
    const tokenRoute = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (method === 'POST' && tokenRoute) {
      const route = 'POST /app/installations/{installation_id}/access_tokens';
      const requested = Number(tokenRoute[1]);
      if (!installations.has(requested)) return { ...notFound, route };
      if (faults.current.suspended) {
        return {
          route,
          status: 403,
          body: {
            message: 'This installation has been suspended',
            documentation_url: documentation,
          },
        };
      }
      const token = authority.issueToken(requested);
      return {
        route,
        status: 201,
        body: {
          token: token.token,
          expires_at: new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions: Object.fromEntries(
            Object.entries(installationFor(requested).permissions).filter(
              ([permission]) =>
                permission !== 'organization_copilot_metrics' ||
                installationFor(requested).copilot.mode !== 'not-granted',
            ),
          ),
          repository_selection: 'selected',
        },
      };
    }
    if (method === 'GET' && url.pathname === '/app/hook/deliveries') {
      // Newest first; `cursor` is the id to continue below, as GitHub's Link header carries it.
      const perPage = Math.min(
        100,
        Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30),
      );
      const below = Number(url.searchParams.get('cursor') ?? Number.POSITIVE_INFINITY);
      const newestFirst = [...webhooks.deliveries]
        .reverse()
        .filter((delivery) => delivery.id < below);
      const page = newestFirst.slice(0, perPage);
      const last = page.at(-1);
      const headers: Record<string, string> =
        newestFirst.length > perPage && last
          ? {
              link: `<${baseUrl}/app/hook/deliveries?per_page=${perPage}&cursor=${last.id}>; rel="next"`,
            }
          : {};
      return {
        route: 'GET /app/hook/deliveries',
        status: 200,
        body: page.map(deliverySummary),
        headers,
      };
    }
    const attempt = /^\/app\/hook\/deliveries\/(\d+)\/attempts$/.exec(url.pathname);
    if (method === 'POST' && attempt) {
      const route = 'POST /app/hook/deliveries/{delivery_id}/attempts';
      const redelivered = await webhooks.redeliver(Number(attempt[1]));
      return redelivered ? { route, status: 202, body: {} } : { ...notFound, route };
    }
    return { ...notFound, route: `${method} ${url.pathname}` };
  }

  async function serveInstallation(
    request: IncomingMessage,
    url: URL,
    method: string,
    caller: number,
  ): Promise<ServedReply> {
    if (method === 'POST' && url.pathname === '/graphql') {
      const body = JSON.parse((await readBody(request)) || '{}');
      const result = handleGraphql(body, {
        dataset: installationFor(caller).dataset,
        installationId: caller,
        permissions: installationFor(caller).permissions,
        at: now(),
        visible,
        faults: faults.current,
        charge: (cost) => limits.charge(caller, 'graphql', cost),
      });
      return {
        route: 'POST /graphql',
        status: result.status,
        body: result.body,
        installationId: caller,
        graphqlCost: result.cost,
        rateLimit: result.rateLimit ?? limits.state(caller, 'graphql'),
      };
    }

    for (const [routeMethod, pattern, handle] of [...restRoutes, ...teamRoutes]) {
      const match = pattern.exec(url.pathname);
      if (routeMethod !== method || !match) continue;
      const route = `${method} ${routeName(pattern)}`;
      const free = url.pathname === '/rate_limit';
      const charged = free
        ? { allowed: true, state: limits.state(caller, 'core') }
        : limits.charge(caller, 'core', 1);
      if (!charged.allowed) {
        return {
          route,
          installationId: caller,
          status: 403,
          body: {
            message: `API rate limit exceeded for installation ID ${caller}.`,
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
          },
          rateLimit: charged.state,
        };
      }
      const reply = handle(
        { url, params: match.slice(1), installationId: caller },
        {
          dataset: installationFor(caller).dataset,
          copilot: installationFor(caller).copilot,
          permissions: installationFor(caller).permissions,
          at: now(),
          baseUrl,
          visible,
          rateLimits: rateLimitsOf,
        },
      );
      return { ...reply, route, installationId: caller, rateLimit: charged.state };
    }
    return { ...notFound, route: `${method} (unknown)` };
  }

  /** github.com's sign-in pages and token endpoint (the web host, here the same server). */
  async function serveSignIn(request: IncomingMessage, url: URL): Promise<WebReply> {
    if (request.method === 'GET' && url.pathname === '/login/oauth/authorize')
      return users.authorizePage(url);
    const body = await readBody(request);
    const form = request.headers['content-type']?.includes('json')
      ? new URLSearchParams(JSON.parse(body || '{}') as Record<string, string>)
      : new URLSearchParams(body);
    if (request.method === 'POST' && url.pathname === '/login/oauth/authorize')
      return users.authorize(form);
    if (request.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const answer = users.exchange(form);
      // GitHub answers form-encoded unless asked for JSON.
      return request.headers.accept?.includes('json')
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(answer),
          }
        : {
            status: 200,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(
              Object.entries(answer).map(([key, value]): [string, string] => [key, String(value)]),
            ).toString(),
          };
    }
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
  }

  const server = createServer((request, response) => {
    const web =
      request.method === 'GET'
        ? pullRequestPage(
            datasetOfPath(new URL(request.url ?? '/', baseUrl).pathname),
            visible,
            new URL(request.url ?? '/', baseUrl).pathname,
          )
        : undefined;
    if (web) {
      response.writeHead(web.status, { 'content-type': 'text/html; charset=utf-8' });
      response.end(web.html);
      return;
    }
    const signIn = new URL(request.url ?? '/', baseUrl);
    if (signIn.pathname.startsWith('/login/oauth/')) {
      serveSignIn(request, signIn).then(({ status, headers, body }) => {
        // Octokit's OAuth methods date a token's expiry from GitHub's clock, this header.
        response.writeHead(status, { date: new Date(now()).toUTCString(), ...headers });
        response.end(body);
      });
      return;
    }
    // Report downloads are signed links anyone holding them may fetch, with no token.
    const report =
      request.method === 'GET' ? reportDownload(new URL(request.url ?? '/', baseUrl)) : null;
    if (report) {
      response.writeHead(report.status, { 'content-type': 'application/x-ndjson' });
      response.end(report.body);
      return;
    }
    serve(request)
      .catch((error: unknown): ServedReply => {
        if (error instanceof AuthError) {
          return {
            status: error.status,
            body: { message: error.message, documentation_url: documentation },
            route: `${request.method} ${request.url}`,
          };
        }
        return {
          status: 500,
          body: { message: String(error) },
          route: `${request.method} ${request.url}`,
        };
      })
      .then((reply) => {
        requestLog.push({
          at: new Date(now()).toISOString(),
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          route: reply.route,
          status: reply.status,
          installationId: reply.installationId,
          graphqlCost: reply.graphqlCost,
        });
        send(response, reply.status, reply.body, {
          date: new Date(now()).toUTCString(),
          ...(reply.rateLimit ? rateLimitHeaders(reply.rateLimit) : {}),
          ...reply.headers,
        });
      });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    appId,
    privateKey: credentials.privateKey,
    installationId,
    installations,
    dataset,
    activity,
    copilot,
    oauthClient: users.client,
    admin,
    outsider,
    ...partialAccess(dataset),
    webhooks,
    requestLog,
    counters() {
      const requests: Record<string, number> = {};
      let graphqlPoints = 0;
      for (const entry of requestLog) {
        requests[entry.route] = (requests[entry.route] ?? 0) + 1;
        graphqlPoints += entry.graphqlCost ?? 0;
      }
      return { requests, graphqlPoints };
    },
    setFaults(next) {
      faults.set(next);
    },
    advanceClock(ms) {
      clockOffset += ms;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function requiresAuthentication(): RestReply {
  return {
    status: 401,
    body: { message: 'Requires authentication', documentation_url: documentation },
  };
}

/** `/^\/repos\/([^/]+)\/([^/]+)\/pulls$/` → `/repos/{owner}/{repo}/pulls`, for counters. */
function routeName(pattern: RegExp): string {
  const names =
    pattern.source.startsWith('^\\/orgs') || pattern.source.startsWith('^/orgs')
      ? ['{org}', '{team_slug}', '{username}']
      : ['{owner}', '{repo}', '{pull_number}'];
  let index = 0;
  return pattern.source
    .replace(/^\^|\$$/g, '')
    .replace(/\\\//g, '/')
    .replace(/\(\[\^\/\]\+\)|\(\\d\+\)/g, () => names[index++] ?? '{param}');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
) {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomUUID().toUpperCase(),
    'x-github-api-version-selected': '2022-11-28',
    ...headers,
  });
  response.end(JSON.stringify(body));
}
