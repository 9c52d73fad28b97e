import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { SignInConfig } from './github-person.ts';

/** A dashboard request as its pages read it: payload v2's parts, the form parsed. */
export interface DashboardRequest {
  method: string;
  path: string;
  /** The router's path parameters (`installationId`, `week`, ...). */
  parameters: Record<string, string | undefined>;
  query: URLSearchParams;
  cookies: readonly string[] | undefined;
  /** A form post's fields. */
  form: URLSearchParams;
}

export interface DashboardResponse {
  status: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
}

export function dashboardRequest(event: APIGatewayProxyEventV2): DashboardRequest {
  const body = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8')
    : '';
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    parameters: event.pathParameters ?? {},
    query: new URLSearchParams(event.rawQueryString),
    cookies: event.cookies,
    form: new URLSearchParams(body),
  };
}

/** Served over HTTPS: what the sign-in's callback address says. */
export const overHttps = (signIn: SignInConfig) => signIn.callbackUrl.startsWith('https:');

/**
 * No script or style but our own files, no request to another host, no
 * framing; a form may go only here or to GitHub's sign-in. Over HTTPS,
 * browsers are told to come back over HTTPS only (HSTS), for two years.
 */
export function securityHeaders(signIn: SignInConfig): Record<string, string> {
  return {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self' ${new URL(signIn.webUrl).origin}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
    ...(overHttps(signIn) ? { 'strict-transport-security': 'max-age=63072000' } : {}),
  };
}

export function dashboardResult(
  response: DashboardResponse,
  signIn: SignInConfig,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.status,
    headers: { ...securityHeaders(signIn), ...response.headers },
    ...(response.cookies ? { cookies: response.cookies } : {}),
    body: response.body,
  };
}

export const html = (status: number, body: string): DashboardResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});

export const redirect = (location: string, cookies?: string[]): DashboardResponse => ({
  status: 303,
  headers: { location },
  body: '',
  ...(cookies ? { cookies } : {}),
});
