import { stringify } from 'csv-stringify/sync';
import { countsInFlowFigures, cyclePhases, type Window, within } from '../metrics/flow-metrics.ts';
import type { StoredPullRequest } from '../metrics/pull-request.ts';

/** One merged pull request with its cycle time phases in hours (the metrics' own definitions). */
export interface MergedPullRequest {
  repositoryId: number;
  repository: string;
  number: number;
  title: string;
  author: string;
  url: string;
  createdAt: string;
  mergedAt: string;
  cycleHours: number;
  codingHours: number;
  pickupHours: number | null;
  reviewHours: number | null;
  linesChanged: number | null;
}

const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;

/** The pull requests merged in `window` that the team metrics count, oldest merge first. */
export function mergedPullRequests(
  pullRequests: readonly StoredPullRequest[],
  window: Window,
  githubWebUrl: string,
): MergedPullRequest[] {
  return pullRequests
    .filter(
      (pr): pr is StoredPullRequest & { mergedAt: string } =>
        countsInFlowFigures(pr) && within(pr.mergedAt, window),
    )
    .sort((a, b) => a.mergedAt.localeCompare(b.mergedAt) || a.number - b.number)
    .map((pr) => {
      const phases = cyclePhases(pr);
      return {
        repositoryId: pr.repositoryId,
        repository: pr.repositoryFullName,
        number: pr.number,
        title: pr.title,
        author: pr.authorLogin,
        url: `${githubWebUrl.replace(/\/+$/, '')}/${pr.repositoryFullName}/pull/${pr.number}`,
        createdAt: pr.createdAt,
        mergedAt: pr.mergedAt,
        cycleHours: hours(phases.cycle),
        codingHours: hours(phases.coding),
        pickupHours: phases.pickup === null ? null : hours(phases.pickup),
        reviewHours: phases.review === null ? null : hours(phases.review),
        linesChanged:
          pr.additions === undefined || pr.deletions === undefined
            ? null
            : pr.additions + pr.deletions,
      };
    });
}

/** The CSV's columns; `author` only where the installation shows per-person figures. */
function csvColumns(showAuthors: boolean): string[] {
  return [
    'repository',
    'number',
    'title',
    ...(showAuthors ? ['author'] : []),
    'url',
    'created_at',
    'merged_at',
    'cycle_hours',
    'coding_hours',
    'pickup_hours',
    'review_hours',
    'lines_changed',
  ];
}

/**
 * The rows as CSV with a header line, CRLF line ends (RFC 4180), written by
 * csv-stringify: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is prefixed with `'` (OWASP's rule against formula
 * injection), so a title such as `=HYPERLINK(...)` opens as text.
 * Without per-person figures there is no author column: a spreadsheet of
 * each PR's cycle time by author would rebuild the ranking the setting
 * turns off.
 */
export function pullRequestsCsv(
  rows: readonly MergedPullRequest[],
  { showAuthors }: { showAuthors: boolean },
): string {
  const columns = csvColumns(showAuthors);
  const records = rows.map((row) => [
    row.repository,
    row.number,
    row.title,
    ...(showAuthors ? [row.author] : []),
    row.url,
    row.createdAt,
    row.mergedAt,
    row.cycleHours,
    row.codingHours,
    row.pickupHours,
    row.reviewHours,
    row.linesChanged,
  ]);
  return stringify([columns, ...records], {
    record_delimiter: 'windows',
    escape_formulas: true,
    // A lone CR or LF ends a line for some readers: quoted, as RFC 4180 has any line break.
    quoted_match: /[\r\n]/,
  });
}
