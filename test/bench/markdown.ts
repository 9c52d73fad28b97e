import type { PartReport } from './report.ts';

/** A part's report with how it was made: the command, and when, where and how long. */
export interface PartRun {
  report: PartReport;
  command: string;
  run: string;
}

const start =
  '<!-- figures: written by `npm run bench -- --markdown`; change the parts, not these rows -->';
const end = '<!-- end of figures -->';
const header = '| part | figure | measured | target | met |\n|---|---|---|---|---|';

const cell = (text: string) => text.replaceAll('|', '\\|');

/** A part's rows: the first names the part (a link to its section), its command and its run. */
function rows({ report, command, run }: PartRun): string[] {
  return report.figures.map((figure, index) => {
    const part = index === 0 ? `[${report.part}](#${report.part})<br>\`${command}\`<br>${run}` : '';
    const met = figure.met === undefined ? '' : figure.met ? 'yes' : '**no**';
    return `| ${part} | ${cell(figure.name)} | ${cell(figure.measured)} | ${cell(figure.target ?? '')} | ${met} |`;
  });
}

/** The table's rows as they stand, by part. */
function rowsByPart(table: string): Map<string, string[]> {
  const byPart = new Map<string, string[]>();
  let part: string | undefined;
  for (const line of table.split('\n')) {
    part = /^\| \[([a-z-]+)\]\(#/.exec(line)?.[1] ?? part;
    if (part && line.startsWith('| ')) byPart.set(part, [...(byPart.get(part) ?? []), line]);
  }
  return byPart;
}

/**
 * docs/benchmarks.md with the rows of the parts that ran replaced and the
 * others kept as they were, in the parts' order: a part run alone updates
 * its own figures only.
 */
export function benchmarksPage(page: string, runs: PartRun[], order: readonly string[]): string {
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`no figures table between "${start}" and "${end}"`);
  const byPart = rowsByPart(page.slice(from + start.length, to));
  for (const run of runs) byPart.set(run.report.part, rows(run));
  const table = order.flatMap((part) => byPart.get(part) ?? []);
  return `${page.slice(0, from + start.length)}\n${header}\n${table.join('\n')}\n${page.slice(to)}`;
}
