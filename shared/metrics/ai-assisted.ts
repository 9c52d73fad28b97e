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

/**
 * What marks a pull request as written with an AI assistant: an AI bot
 * opened it, a commit trailer names an assistant, or a label says so.
 */
export type AiSignal =
  | { kind: 'bot'; login: string }
  | { kind: 'trailer'; assistant: string }
  | { kind: 'label'; label: string };

/**
 * The first signal that marks the pull request AI-assisted, or null: the
 * AI-adoption figures split by it and the dashboard names it, one definition.
 */
export function aiSignal(pr: PullRequestFacts): AiSignal | null {
  if (openedByAiBot(pr)) return { kind: 'bot', login: pr.authorLogin };
  for (const coAuthor of pr.coAuthors ?? []) {
    const assistant = aiNames.exec(coAuthor)?.[1];
    if (assistant) return { kind: 'trailer', assistant: assistant.toLowerCase() };
  }
  const label = pr.labels.find((name) => aiLabels.has(name.toLowerCase()));
  return label === undefined ? null : { kind: 'label', label };
}

/** Written with an AI assistant: some signal marks it. */
export const isAiAssisted = (pr: PullRequestFacts): boolean => aiSignal(pr) !== null;
