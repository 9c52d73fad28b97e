import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  mayChangeSettings,
  mayView,
  visibleInstallationsTtlMs,
  visibleListIsFresh,
} from '#shared/dashboard/access.ts';
import { cookie, readCookies, seal, unseal } from '#shared/dashboard/sealed.ts';

const listed = [
  { id: 7, accountLogin: 'acme', accountType: 'Organization' },
  { id: 9, accountLogin: 'ada', accountType: 'User' },
];

describe('who may see an installation', () => {
  it('is whoever GitHub lists it for, and nobody else', () => {
    expect(mayView(listed, 7)).toBe(true);
    expect(mayView(listed, 8)).toBe(false);
    expect(mayView([], 7)).toBe(false);
  });

  it("trusts GitHub's list for a minute, then asks again", () => {
    const checkedAt = '2026-11-26T10:00:00.000Z';
    const at = Date.parse(checkedAt);
    expect(visibleListIsFresh(checkedAt, at + visibleInstallationsTtlMs - 1)).toBe(true);
    expect(visibleListIsFresh(checkedAt, at + visibleInstallationsTtlMs)).toBe(false);
    expect(visibleListIsFresh(undefined, at)).toBe(false);
  });
});

describe('who may change its settings', () => {
  const organisation = listed[0] as (typeof listed)[number];
  const userAccount = listed[1] as (typeof listed)[number];

  it("is an organisation's admins, not its members", () => {
    expect(mayChangeSettings(organisation, { login: 'bo' }, 'admin')).toBe(true);
    expect(mayChangeSettings(organisation, { login: 'bo' }, 'member')).toBe(false);
    expect(mayChangeSettings(organisation, { login: 'bo' }, null)).toBe(false);
  });

  it('is the owner of a user account, whatever its case, and nobody else', () => {
    expect(mayChangeSettings(userAccount, { login: 'Ada' }, null)).toBe(true);
    expect(mayChangeSettings(userAccount, { login: 'bo' }, 'admin')).toBe(false);
  });
});

describe('sealed cookies', () => {
  const key = randomBytes(32);
  const now = Date.parse('2026-11-26T10:00:00Z');

  it('give back what was sealed until it expires, and nothing after', () => {
    const sealed = seal(key, { session: 'abc' }, now + 1000);
    expect(unseal(key, sealed, now)).toEqual({ session: 'abc' });
    expect(unseal(key, sealed, now + 1000)).toBeNull();
  });

  it('refuse a value altered, or sealed under another key', () => {
    const sealed = seal(key, 'abc', now + 1000);
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(unseal(key, altered, now)).toBeNull();
    expect(unseal(randomBytes(32), sealed, now)).toBeNull();
    expect(unseal(key, 'not a sealed value', now)).toBeNull();
  });

  it('are HttpOnly and SameSite=Lax, Secure over HTTPS, and read back by name', () => {
    expect(cookie('s', 'v', { maxAgeSeconds: 60, secure: true })).toBe(
      's=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure',
    );
    expect(cookie('s', 'v', { maxAgeSeconds: 60, secure: false })).not.toContain('Secure');
    expect(readCookies(['a=1', ' b = x=y ']).get('b')).toBe('x=y');
  });
});
