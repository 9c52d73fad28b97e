import { stringify } from 'csv-stringify/sync';

/** One column of a CSV: its header, and its cell of a row. */
export type CsvColumn<Row> = readonly [header: string, cell: (row: Row) => unknown];

/**
 * The rows as CSV with a header line, CRLF line ends (RFC 4180), written by
 * csv-stringify: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is prefixed with `'` (OWASP's rule against formula
 * injection), so a title such as `=HYPERLINK(...)` opens as text.
 */
export function csvOf<Row>(rows: readonly Row[], columns: readonly CsvColumn<Row>[]): string {
  return stringify(
    [columns.map(([header]) => header), ...rows.map((row) => columns.map(([, cell]) => cell(row)))],
    {
      record_delimiter: 'windows',
      escape_formulas: true,
      // A lone CR or LF ends a line for some readers: quoted, as RFC 4180 has any line break.
      quoted_match: /[\r\n]/,
      // csv-stringify writes true as 1 and false as nothing: a reader would take that for a count.
      cast: { boolean: (value) => String(value) },
    },
  );
}
