import { countsForTeam, cyclePhases, type Window, within } from '../metrics/flow-metrics.ts';
import type { StoredPullRequest } from '../metrics/pull-request.ts';

/** One merged pull request with its cycle time phases in hours (the metrics' own definitions). */
export interface MergedPullRequest {
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
        countsForTeam(pr) && within(pr.mergedAt, window),
    )
    .sort((a, b) => a.mergedAt.localeCompare(b.mergedAt) || a.number - b.number)
    .map((pr) => {
      const phases = cyclePhases(pr);
      return {
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

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvColumns = [
  'repository',
  'number',
  'title',
  'author',
  'url',
  'created_at',
  'merged_at',
  'cycle_hours',
  'coding_hours',
  'pickup_hours',
  'review_hours',
  'lines_changed',
] as const;

/** The rows as CSV with a header line, CRLF line ends, as RFC 4180 has them. */
export function pullRequestsCsv(rows: readonly MergedPullRequest[]): string {
  const lines = rows.map((row) =>
    [
      row.repository,
      row.number,
      row.title,
      row.author,
      row.url,
      row.createdAt,
      row.mergedAt,
      row.cycleHours,
      row.codingHours,
      row.pickupHours,
      row.reviewHours,
      row.linesChanged,
    ]
      .map(field)
      .join(','),
  );
  return [csvColumns.join(','), ...lines].map((line) => `${line}\r\n`).join('');
}
