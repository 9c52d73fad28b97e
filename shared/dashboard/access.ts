import type { ListedInstallation } from './github-sign-in.ts';

/**
 * Who may see and change what on the dashboard. GitHub decides: a person
 * sees an installation only while GitHub lists it for them, and changes its
 * settings only as an admin of its organisation (or as the user account it
 * is installed on).
 */

/** How long GitHub's list of a person's installations is trusted before asking again. */
export const visibleInstallationsTtlMs = 60_000;

export function mayView(visible: readonly ListedInstallation[], installationId: number): boolean {
  return visible.some((installation) => installation.id === installationId);
}

export function mayChangeSettings(
  installation: Pick<ListedInstallation, 'accountLogin' | 'accountType'>,
  person: { login: string },
  organisationRole: 'admin' | 'member' | null,
): boolean {
  if (installation.accountType === 'User')
    return installation.accountLogin.toLowerCase() === person.login.toLowerCase();
  return organisationRole === 'admin';
}

export function visibleListIsFresh(checkedAt: string | undefined, now: number): boolean {
  return checkedAt !== undefined && now - Date.parse(checkedAt) < visibleInstallationsTtlMs;
}
