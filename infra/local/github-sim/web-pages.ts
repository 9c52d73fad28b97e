import { escapeHtml } from '#shared/views/format.ts';
import type { Dataset, SimRepository } from './dataset.ts';

/**
 * The one github.com page the simulator serves: a pull request's, so the
 * links in the digest emails `npm start` sends lead somewhere. Plain HTML,
 * no authentication, as a public repository's page would be.
 */
export function pullRequestPage(
  dataset: Dataset,
  visible: (repo: SimRepository) => boolean,
  path: string,
): { status: number; html: string } | undefined {
  const match = /^\/([^/]+)\/([^/]+)\/pull\/(\d+)$/.exec(path);
  if (!match) return undefined;
  const repo = dataset.repository(`${match[1]}/${match[2]}`);
  const pr = repo && visible(repo) ? dataset.pullRequest(repo, Number(match[3])) : undefined;
  if (!repo || !pr) return { status: 404, html: page('Not Found', '<p>No such pull request.</p>') };
  const reviews = dataset.reviews(pr, 0, pr.reviewCount);
  const facts = [
    ['State', pr.state.toLowerCase()],
    ['Author', pr.author.login],
    ['Opened', pr.createdAt.toISOString()],
    ['Merged', pr.mergedAt?.toISOString() ?? '—'],
    ['Closed', pr.closedAt?.toISOString() ?? '—'],
    [
      'Changes',
      `+${pr.additions} −${pr.deletions} in ${pr.changedFiles} files, ${pr.commitCount} commits`,
    ],
    [
      'Reviews',
      reviews.map((r) => `${r.author.login} ${r.state.toLowerCase()}`).join(', ') || 'none',
    ],
  ];
  return {
    status: 200,
    html: page(
      `${pr.title} · ${repo.fullName}#${pr.number}`,
      `<p>GitHub simulator: what github.com would show for this pull request.</p><table>${facts
        .map(
          ([name, value]) =>
            `<tr><th align="left">${name}</th><td>${escapeHtml(value ?? '')}</td></tr>`,
        )
        .join('')}</table>`,
    ),
  };
}

export function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:48rem;margin:2rem auto"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
