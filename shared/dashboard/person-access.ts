import { rememberAccess, rememberVisibleInstallations, type Session } from '../store/sessions.ts';
import { isConditionFailure } from '../store/table.ts';
import { type RepositoryAccess, repositoryAccess, visibleListIsFresh } from './access.ts';
import { type GitHubPersonClient, type ListedInstallation, SignInError } from './github-person.ts';
import { type DashboardDependencies, personClient } from './person-session.ts';

/**
 * One signed-in person for one request: what GitHub lists for them, read
 * from their session while it is under a minute old, else asked again with
 * their token (one client per request).
 */
export class Person {
  readonly session: Session;
  private readonly deps: DashboardDependencies;
  private client: GitHubPersonClient | undefined;

  constructor(session: Session, deps: DashboardDependencies) {
    this.session = session;
    this.deps = deps;
  }

  get viewer() {
    return { login: this.session.login, csrfToken: this.session.csrfToken };
  }

  github(): GitHubPersonClient {
    this.client ??= personClient(this.session, this.deps);
    return this.client;
  }

  /** GitHub's list of the person's installations of the App. */
  async installations(): Promise<ListedInstallation[]> {
    const now = this.deps.now();
    const { visible } = this.session;
    if (visible && visibleListIsFresh(visible.checkedAt, now.getTime()))
      return visible.installations;
    const installations = await this.github().installations();
    await endedMeanwhile(() =>
      rememberVisibleInstallations(this.deps.table, this.session.sessionId, {
        installations,
        checkedAt: now.toISOString(),
      }),
    );
    return installations;
  }

  /** What GitHub lets the person see of a listed installation: its repositories for them, and their role. */
  async access(installation: ListedInstallation): Promise<RepositoryAccess> {
    const now = this.deps.now();
    const known = this.session.access?.[String(installation.id)];
    if (known && visibleListIsFresh(known.checkedAt, now.getTime()))
      return repositoryAccess(installation, this.session, known);
    const github = this.github();
    const [repositoryIds, role] = await Promise.all([
      github.repositoryIds(installation.id),
      installation.accountType === 'Organization' ? github.role(installation.accountLogin) : null,
    ]);
    const remembered = { repositoryIds, role, checkedAt: now.toISOString() };
    await endedMeanwhile(() =>
      rememberAccess(this.deps.table, this.session.sessionId, installation.id, remembered),
    );
    return repositoryAccess(installation, this.session, remembered);
  }
}

/** A session signed out while this request asked GitHub is not brought back: the person signs in again. */
async function endedMeanwhile(remember: () => Promise<void>): Promise<void> {
  try {
    await remember();
  } catch (error) {
    if (isConditionFailure(error)) throw new SignInError('the session ended');
    throw error;
  }
}
