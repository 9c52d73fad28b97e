import aiAssistants from './ai-assistants.json' with { type: 'json' };
import type { PullRequestFacts } from './pull-request.ts';

/**
 * Which pull requests were written with an AI assistant. The signals are
 * data (ai-assistants.json): trailer keys, assistant names, AI bot logins
 * and labels; this module reads them, nothing else does.
 */

// The data is taken literally: punctuation in a name or key is not a pattern.
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Authorship trailers of a commit message (`Co-authored-by: Name <email>`,
 * `Made-with: Cursor`, …): the value is the first group. The sync keeps the
 * values, lower-cased, as a PR's `coAuthors`. (`matchAll` copies it, so
 * sharing one global pattern is safe.)
 */
export const authorshipTrailer = new RegExp(
  `^(?:${aiAssistants.trailers.map(literal).join('|')}):\\s*(.+?)\\s*$`,
  'gim',
);

const aiNames = new RegExp(`\\b(${aiAssistants.names.map(literal).join('|')})\\b`, 'i');
const aiBots = new Set(aiAssistants.botLogins.map((login) => login.toLowerCase()));
const aiLabels = new Set(aiAssistants.labels.map((label) => label.toLowerCase()));

export const openedByAiBot = (pr: Pick<PullRequestFacts, 'authorLogin'>) =>
  aiBots.has(pr.authorLogin.toLowerCase());

/** Written with an AI assistant: a trailer names one, an AI bot opened it, or a label says so. */
export function isAiAssisted(pr: PullRequestFacts): boolean {
  return (
    openedByAiBot(pr) ||
    (pr.coAuthors ?? []).some((coAuthor) => aiNames.test(coAuthor)) ||
    pr.labels.some((label) => aiLabels.has(label.toLowerCase()))
  );
}
