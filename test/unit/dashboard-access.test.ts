import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  listedInstallation,
  mayChangeSettings,
  maySeeFigure,
  maySeeRepository,
  maySeeTeam,
  repositoryAccess,
  rowFilter,
  visibleInstallationsTtlMs,
  visibleListIsFresh,
} from '#shared/dashboard/access.ts';
import { cookie, cookieName, readCookies, seal, unseal } from '#shared/dashboard/sealed.ts';

const listed = [
  { id: 7, accountId: 70, accountLogin: 'acme', accountType: 'Organization' },
  { id: 9, accountId: 90, accountLogin: 'ada', accountType: 'User' },
];

describe('who may see an installation', () => {
  it('is whoever GitHub lists it for, and nobody else', () => {
    expect(listedInstallation(listed, 7)).toBe(listed[0]);
    expect(listedInstallation(listed, 8)).toBeUndefined();
    expect(listedInstallation([], 7)).toBeUndefined();
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
    expect(mayChangeSettings(organisation, { userId: 5 }, 'admin')).toBe(true);
    expect(mayChangeSettings(organisation, { userId: 5 }, 'member')).toBe(false);
    expect(mayChangeSettings(organisation, { userId: 5 }, 'not-granted')).toBe(false);
    expect(mayChangeSettings(organisation, { userId: 5 }, null)).toBe(false);
  });

  it('is the owner of a user account, known by id (a login can be renamed and taken), and nobody else', () => {
    expect(mayChangeSettings(userAccount, { userId: 90 }, null)).toBe(true);
    expect(mayChangeSettings(userAccount, { userId: 5 }, 'admin')).toBe(false);
  });
});

describe("who may see an installation's repositories and figures", () => {
  const organisation = { accountId: 70, accountType: 'Organization' };
  // The installation has repositories 1, 2 and 3; the collaborator is given only 2.
  const all = [1, 2, 3];
  const collaborator = repositoryAccess(
    organisation,
    { userId: 3 },
    {
      repositoryIds: [2],
      role: null,
    },
  );
  const owner = repositoryAccess(
    organisation,
    { userId: 4 },
    { repositoryIds: [1, 2], role: 'admin' },
  );

  it('is a repository GitHub lists for the person, or any repository for an owner', () => {
    expect(maySeeRepository(collaborator, 2)).toBe(true);
    expect(maySeeRepository(collaborator, 1)).toBe(false);
    // Repository 3 is off GitHub's list (removed from the App): its owners still see it, as on GitHub.
    expect(maySeeRepository(owner, 3)).toBe(true);
  });

  it('shows a figure only to whoever sees every repository it was computed from', () => {
    expect(maySeeFigure(collaborator, [2], all)).toBe(true);
    expect(maySeeFigure(collaborator, [1, 2], all)).toBe(false);
    expect(maySeeFigure(collaborator, [], all)).toBe(true);
    // A row stored without its repositories is taken to cover them all.
    expect(maySeeFigure(collaborator, undefined, all)).toBe(false);
    expect(maySeeFigure(owner, undefined, all)).toBe(true);
  });

  it("filters a week's rows: a repository's by itself, an author's and a team's by all they cover, the organisation's more strictly", () => {
    const seesTeam5 = (teamId: number) => teamId === 5;
    const mayShow = rowFilter(collaborator, all, seesTeam5);
    expect(mayShow({ row: 'repo#2', scope: 'repository' })).toBe(true);
    expect(mayShow({ row: 'repo#1', scope: 'repository' })).toBe(false);
    expect(mayShow({ row: 'author#9', scope: 'author', repositoryIds: [2] })).toBe(true);
    expect(mayShow({ row: 'author#9', scope: 'author', repositoryIds: [1, 2] })).toBe(false);
    // The organisation's week carries its Copilot usage and says when any repository was busy:
    // only for whoever sees every repository, even in a week only repository 2 was active.
    const quietWeek = { row: 'organisation', scope: 'organisation' as const, repositoryIds: [2] };
    expect(mayShow(quietWeek)).toBe(false);
    expect(rowFilter(owner, all, seesTeam5)(quietWeek)).toBe(true);
    // A team's: only a team the person sees, and only over repositories they see.
    expect(mayShow({ row: 'team#5', scope: 'team', repositoryIds: [2] })).toBe(true);
    expect(mayShow({ row: 'team#5', scope: 'team', repositoryIds: [1, 2] })).toBe(false);
    expect(mayShow({ row: 'team#6', scope: 'team', repositoryIds: [2] })).toBe(false);
  });

  it("shows a GitHub team as GitHub does: a visible one to the organisation's members, a secret one to its members and owners", () => {
    const member = repositoryAccess(
      organisation,
      { userId: 6 },
      { repositoryIds: [1], role: 'member' },
    );
    const visible = { privacy: 'visible' as const };
    const secret = { privacy: 'secret' as const };
    expect(maySeeTeam(member, visible, false)).toBe(true);
    expect(maySeeTeam(member, secret, false)).toBe(false);
    expect(maySeeTeam(member, secret, true)).toBe(true);
    expect(maySeeTeam(owner, secret, false)).toBe(true);
    // An outside collaborator is no member of the organisation: no team of it, unless in one.
    expect(maySeeTeam(collaborator, visible, false)).toBe(false);
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

  it('are named with the __Host- prefix over HTTPS only', () => {
    expect(cookieName('flowmeter_session', true)).toBe('__Host-flowmeter_session');
    expect(cookieName('flowmeter_session', false)).toBe('flowmeter_session');
  });
});
