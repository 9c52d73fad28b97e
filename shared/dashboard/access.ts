import type { AiAdoption } from '../metrics/ai-adoption.ts';
import type { RememberedAccess } from '../store/sessions.ts';
import type { RowFilter, WeeklyMetricsView } from '../views/weekly-metrics-view.ts';
import type { ListedInstallation, OrganisationRole } from './github-person.ts';

/**
 * Who may see and change what on the dashboard. GitHub decides, at the
 * finest grain it has:
 * - an installation, only while GitHub lists it for the person
 *   (`GET /user/installations`: anyone with access to one of its repositories);
 * - a repository's data (its page, its pull requests in lists and the CSV,
 *   its sync progress, its row in tables), only while GitHub lists that
 *   repository for them (`GET /user/installations/{id}/repositories`); an
 *   organisation's owners (and a user account's owner) see every repository,
 *   as on GitHub — removed ones too, until retention deletes them;
 * - a figure computed from several repositories (an author's week), only
 *   by a person who sees every one of them; the organisation's own week —
 *   its Copilot usage is the whole organisation's, and its very existence
 *   would tell when hidden repositories were busy — only by a person who
 *   sees every repository of the installation; Copilot figures (GitHub
 *   shows them to owners) only to owners;
 * - a GitHub team as GitHub shows it: a visible team to the organisation's
 *   members, a secret one to its own members and the owners — and its
 *   figures, like an author's, only over repositories the person all sees;
 * - settings, only by the organisation's owners (or the user account itself).
 */

/** How long GitHub's lists of a person's installations and repositories are trusted before asking again. */
export const visibleInstallationsTtlMs = 60_000;

/** The installation as GitHub lists it for the person, or undefined: then it is theirs to see not at all. */
export function listedInstallation(
  visible: readonly ListedInstallation[],
  installationId: number,
): ListedInstallation | undefined {
  return visible.find((installation) => installation.id === installationId);
}

export function mayChangeSettings(
  installation: Pick<ListedInstallation, 'accountId' | 'accountType'>,
  person: { userId: number },
  organisationRole: OrganisationRole,
): boolean {
  if (installation.accountType === 'User') return installation.accountId === person.userId;
  return organisationRole === 'admin';
}

export function visibleListIsFresh(checkedAt: string | undefined, now: number): boolean {
  return checkedAt !== undefined && now - Date.parse(checkedAt) < visibleInstallationsTtlMs;
}

/** What one person may see of one installation's repositories. */
export interface RepositoryAccess {
  /** Every repository, GitHub says: the account's owners. */
  owner: boolean;
  /** GitHub would not tell the person's role: the App's Members permission is not approved. */
  roleNotGranted: boolean;
  /** A member (or owner) of the installation's organisation: sees its visible teams. */
  organisationMember: boolean;
  /** The repositories GitHub lists for the person. */
  listed: ReadonlySet<number>;
}

export function repositoryAccess(
  installation: Pick<ListedInstallation, 'accountId' | 'accountType'>,
  person: { userId: number },
  remembered: Pick<RememberedAccess, 'repositoryIds' | 'role'>,
): RepositoryAccess {
  return {
    owner: mayChangeSettings(installation, person, remembered.role),
    roleNotGranted: remembered.role === 'not-granted',
    organisationMember: remembered.role === 'member' || remembered.role === 'admin',
    listed: new Set(remembered.repositoryIds),
  };
}

export function maySeeRepository(access: RepositoryAccess, repositoryId: number): boolean {
  return access.owner || access.listed.has(repositoryId);
}

/**
 * Whether a figure computed from `repositoryIds` may be shown. A row stored
 * before rows named their repositories says nothing of them: it is taken to
 * cover all of the installation's (`allRepositoryIds`).
 */
export function maySeeFigure(
  access: RepositoryAccess,
  repositoryIds: readonly number[] | undefined,
  allRepositoryIds: readonly number[],
): boolean {
  return (repositoryIds ?? allRepositoryIds).every((id) => maySeeRepository(access, id));
}

/** Whether a person sees a GitHub team: `memberNow` when they are in it now (Flowmeter's last reading). */
export function maySeeTeam(
  access: RepositoryAccess,
  team: { privacy: 'visible' | 'secret' },
  memberNow: boolean,
): boolean {
  if (access.owner || memberNow) return true;
  return team.privacy === 'visible' && access.organisationMember;
}

/** The weekly rows a person may see (the rules above); `seesTeam` says which teams they see. */
export function rowFilter(
  access: RepositoryAccess,
  allRepositoryIds: readonly number[],
  seesTeam: (teamId: number) => boolean,
): RowFilter {
  return (row) => {
    switch (row.scope) {
      case 'repository':
        return maySeeRepository(access, Number(row.row.split('#')[1]));
      case 'organisation':
        return maySeeFigure(access, allRepositoryIds, allRepositoryIds);
      case 'team':
        return (
          seesTeam(Number(row.row.split('#')[1])) &&
          maySeeFigure(access, row.repositoryIds, allRepositoryIds)
        );
      default:
        return maySeeFigure(access, row.repositoryIds, allRepositoryIds);
    }
  };
}

/** The view without Copilot's figures, for whoever is not an owner (GitHub shows them to owners). */
export function withoutCopilot(view: WeeklyMetricsView): WeeklyMetricsView {
  const noCopilot = (adoption: AiAdoption | null) =>
    adoption && { ...adoption, copilot: null, copilotActiveAuthorsShare: null };
  return {
    ...view,
    weeks: view.weeks.map((week) => ({
      ...week,
      aiAdoption: noCopilot(week.aiAdoption),
      teams: week.teams.map((team) => ({ ...team, aiAdoption: noCopilot(team.aiAdoption) })),
      authors: week.authors.map(({ copilotActive: _copilotActive, ...author }) => author),
    })),
  };
}
