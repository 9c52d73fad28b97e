import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One figure a benchmark part measured, and what it is held to, if anything. */
export interface Figure {
  /** What was measured, as a reader would ask for it. */
  name: string;
  /** The figure, with its unit. */
  measured: string;
  /** What it should be; absent where the figure only informs. */
  target?: string;
  /** Whether `measured` meets `target`. */
  met?: boolean;
}

/** What a part sends the runner: its figures, under the part's name (its file's, without `.ts`). */
export interface PartReport {
  part: string;
  title: string;
  figures: Figure[];
}

/**
 * A part's result. Under `npm run bench` (an IPC channel to the runner) it
 * goes to the runner, which prints it and can write it into
 * docs/benchmarks.md, while the part's own output — the handlers' logs —
 * goes to its log file. Run alone (`node test/bench/<part>.ts`), it prints.
 */
export function report(partUrl: string, title: string, figures: Figure[]): void {
  const result: PartReport = { part: basename(fileURLToPath(partUrl), '.ts'), title, figures };
  if (process.send) process.send(result);
  else console.log(figuresTable(result));
}

/** The verdict of a figure against its target, in words. */
export function verdict(figure: Figure): string {
  if (figure.met === undefined) return '';
  return figure.met ? 'met' : 'NOT MET';
}

/** A part's figures as aligned text columns, for a terminal. */
export function figuresTable({ title, figures }: PartReport): string {
  const rows = figures.map((figure) => [
    figure.name,
    figure.measured,
    figure.target ? `target ${figure.target}` : '',
    verdict(figure),
  ]);
  const widths = [0, 1, 2].map((column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return [`\n${title}`, ...lines.map((line) => `  ${line}`)].join('\n');
}
