import { RE2JS, RE2JSSyntaxException } from 're2js';

/**
 * A pattern an installation's admin sets (production environments, incident
 * labels), compiled, or why it cannot run. Every function that reads
 * deployments or issues runs these on GitHub's text, so a backtracking
 * engine (JavaScript's RegExp) would let one pattern like `^(a|a)+$` take
 * exponential time and hang it. RE2 (re2js, pure JavaScript) runs every
 * pattern in time linear in the text: that is the fix, for `^(a|a)+$` too,
 * rather than refusing patterns that look catastrophic: no simple check
 * tells those from harmless ones (star-height checks refuse the harmless
 * `(\w+-)*prod` and pass `(a|a)+` itself), and under RE2 none is. What RE2
 * cannot run in linear time (lookaheads, backreferences) is refused, saying so.
 *
 * Patterns were checked as JavaScript's before, so they are still read as
 * JavaScript: re2js translates its syntax (`\u0041`, `\cA`, `[^]`, `\-`,
 * `(?<name>…)`) and runs its lookbehinds in linear time. A few escapes JavaScript
 * reads as letters (`\A`, `\z`, `\p{L}`) take RE2's meaning, the one such a
 * pattern's author meant.
 */
export type AdminPattern =
  | { matcher: RE2JS; problem?: undefined }
  | { matcher?: undefined; problem: string };

// Compiling takes tens of microseconds and a rollup tests every deployment
// against one pattern; bounded, as a warm function meets many installations.
const compiled = new Map<string, AdminPattern>();
const compiledLimit = 256;

export function compileAdminPattern(source: string): AdminPattern {
  const known = compiled.get(source);
  if (known) return known;
  if (compiled.size >= compiledLimit) compiled.clear();
  const pattern = compile(source);
  compiled.set(source, pattern);
  return pattern;
}

/**
 * Counted repeats at most this many: RE2's time is linear in the text but
 * grows with the compiled program, and `.{999}` written 28 times (under the
 * 200-character limit) makes every test of a name take milliseconds, not
 * microseconds — in every rollup, and in each settings preview.
 */
const maxRepeat = 100;

function compile(source: string): AdminPattern {
  const counted = [...source.matchAll(/(?<!\\)\{(\d+)(?:,(\d*))?\}/g)];
  if (counted.some(([, min, max]) => Number(min) > maxRepeat || Number(max || 0) > maxRepeat))
    return unsupported(source, `counted repeats over {${maxRepeat}}`);
  // Refused before translating: re2js reads `\8`, `\9` and `\k<name>` as letters,
  // as JavaScript does only in a pattern without that many groups, or names.
  if (source.match(/\\./gs)?.some((pair) => /^\\[1-9k]$/.test(pair)))
    return unsupported(source, 'backreferences such as \\1 and \\k<name>');
  try {
    // Read here, not at the top: a module-level read of RE2JS keeps its 150 KB in
    // every bundle importing this file, even one that never compiles a pattern.
    const flags = RE2JS.CASE_INSENSITIVE | RE2JS.LOOKBEHINDS;
    return { matcher: RE2JS.compile(RE2JS.translateRegExp(source), flags) };
  } catch (error) {
    if (!(error instanceof RE2JSSyntaxException)) throw error;
    if (/^\(\?[=!]/.test(error.input ?? ''))
      return unsupported(source, 'lookaheads such as (?=…) and (?!…)');
    if (error.getDescription() === 'invalid capture in lookbehind')
      return unsupported(source, 'capturing groups in lookbehinds: write (?:…) there');
    return { problem: `not a regular expression: ${source} — ${error.getDescription()}` };
  }
}

function unsupported(source: string, what: string): AdminPattern {
  return { problem: `${source} is not supported: patterns run in linear time, without ${what}` };
}

/** Whether the text matches, ignoring case. A stored pattern that cannot run (saved before patterns ran in linear time) matches nothing; {@link patternInWords} says so. */
export function matchesAdminPattern(source: string, text: string): boolean {
  return compileAdminPattern(source).matcher?.test(text) ?? false;
}

/** A pattern as the dashboard, the digest and `npm run settings` show it, with why it matches nothing when it cannot run. */
export function patternInWords(source: string): string {
  const { problem } = compileAdminPattern(source);
  return problem
    ? `/${source}/i (which matches nothing until changed: ${problem})`
    : `/${source}/i`;
}
