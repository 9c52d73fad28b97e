import { timingSafeEqual } from 'node:crypto';

/** Values the browser carries but may neither read nor change: sealed under the dashboard's session key. */
export { seal, unseal } from '../seal.ts';

/** Whether a form's token is the session's, compared in constant time. */
export function sameToken(given: string | null, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface CookieOptions {
  maxAgeSeconds: number;
  /** Sent over HTTPS only: set wherever the dashboard is served over HTTPS. */
  secure: boolean;
}

/**
 * A cookie's name: over HTTPS with the `__Host-` prefix, which browsers
 * accept only from a secure origin, for the whole host and no other (no
 * Domain), so a sibling subdomain cannot plant or overwrite it.
 */
export function cookieName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

/** A Set-Cookie value: HttpOnly (no script reads it) and SameSite=Lax (no cross-site POST carries it). */
export function cookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The request's cookies by name (payload v2 hands them over as `name=value` strings). */
export function readCookies(cookies: readonly string[] | undefined): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of cookies ?? []) {
    const at = entry.indexOf('=');
    if (at > 0) found.set(entry.slice(0, at).trim(), entry.slice(at + 1).trim());
  }
  return found;
}
