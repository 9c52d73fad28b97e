import { escapeHtml } from '../../views/format.ts';

export interface Viewer {
  login: string;
  csrfToken: string;
}

/** A page of the dashboard: its header (who is signed in, sign out), one main landmark. */
export function page(
  title: string,
  main: string,
  viewer: Viewer | null,
  scripts: readonly string[] = [],
): string {
  const signOut = viewer
    ? `<span>${escapeHtml(viewer.login)}</span> <form method="post" action="/logout"><input type="hidden" name="csrf" value="${escapeHtml(viewer.csrfToken)}"><button type="submit">Sign out</button></form>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Flowmeter</title>
<link rel="stylesheet" href="/assets/dashboard.css">
${scripts.map((script) => `<script src="/assets/${script}" defer></script>`).join('\n')}
</head>
<body>
<header><a href="/">Flowmeter</a><div>${signOut}</div></header>
<main>
<h1>${escapeHtml(title)}</h1>
${main}
</main>
</body>
</html>`;
}

/** One table, wrapped so a narrow screen scrolls the table and never the page. */
export function table(
  head: readonly { title: string; number?: boolean }[],
  rows: readonly string[][],
  caption: string,
): string {
  const th = head
    .map(
      (column) =>
        `<th scope="col"${column.number ? ' class="number"' : ''}>${escapeHtml(column.title)}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, index) => `<td${head[index]?.number ? ' class="number"' : ''}>${cell}</td>`).join('')}</tr>`,
    )
    .join('');
  // Focusable, so a keyboard can scroll a table wider than the screen.
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(caption)}"><table><caption class="muted">${escapeHtml(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/**
 * Said wherever rows or figures were left out because they cover
 * repositories GitHub does not show the person (`access.ts`).
 */
export function withheldNotice(account: string): string {
  return `<p class="notice" data-withheld>Some of ${escapeHtml(account)}'s figures and pull requests come from repositories GitHub does not show you, so they are not shown here: you see those of the repositories GitHub lists for you.</p>`;
}
