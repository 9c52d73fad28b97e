import { escapeHtml } from '../../views/format.ts';
import type { RepositoryProgress } from '../../views/sync-progress-view.ts';
import { page, type Viewer } from './layout.ts';

export interface InstallationCard {
  installationId: number;
  accountLogin: string;
  repositories: readonly RepositoryProgress[];
}

/** In a word, where an installation's syncs stand. */
export function syncSummary(repositories: readonly RepositoryProgress[]): string {
  const active = repositories.filter((repo) => repo.active);
  if (active.length === 0) return 'no repositories';
  const done = active.filter((repo) => repo.status === 'complete').length;
  const failed = active.filter((repo) => repo.status === 'failed').length;
  if (done === active.length) return `all ${active.length} repositories synced`;
  return `${done} of ${active.length} repositories synced${failed ? `, ${failed} failed` : ''}`;
}

/** The installations GitHub lists for the person, with where their syncs stand. */
export function installationsPage(cards: readonly InstallationCard[], viewer: Viewer): string {
  const items = cards
    .map(
      (card) =>
        `<li><a href="/installations/${card.installationId}">${escapeHtml(card.accountLogin)}</a><br><span class="muted">${escapeHtml(syncSummary(card.repositories))}</span></li>`,
    )
    .join('');
  const main =
    cards.length > 0
      ? `<ul class="cards">${items}</ul>`
      : '<p>GitHub lists no installation of Flowmeter for you. An organisation owner installs the App; its members see it here.</p>';
  return page('Your installations', main, viewer);
}

/** The front page for a visitor: what Flowmeter is, and the way in; with why the last try failed. */
export function signInPage(problem?: string): string {
  const notice = problem ? `<p class="notice" role="alert">${escapeHtml(problem)}</p>` : '';
  return page(
    'Sign in',
    `${notice}<p>Flowmeter shows how pull requests flow through your teams. Sign in with GitHub to see the installations you belong to.</p><p><a class="button" href="/login">Sign in with GitHub</a></p>`,
    null,
  );
}

/** A page that says one thing: nothing here, or what was wrong with the request. */
export function messagePage(title: string, message: string, viewer: Viewer | null): string {
  return page(
    title,
    `<p>${escapeHtml(message)} <a href="/">Back to your installations</a>.</p>`,
    viewer,
  );
}

export const notFoundPage = (viewer: Viewer | null) =>
  messagePage('Not found', 'There is nothing here.', viewer);
