import type { Window } from '../metrics/flow-metrics.ts';
import { countsForTeam, cyclePhases, within } from '../metrics/flow-metrics.ts';
import type { StoredPullRequest } from '../metrics/pull-request.ts';

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const hours = (ms: number | null) =>
  ms === null ? null : Math.round((ms / 3_600_000) * 100) / 100;

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

/**
 * The pull requests merged in `window` that the team metrics count, one row
 * each with its cycle time phases in hours (the metrics' own definitions),
 * oldest merge first; CRLF line ends, as RFC 4180 has them.
 */
export function pullRequestsCsv(
  pullRequests: readonly StoredPullRequest[],
  window: Window,
  githubWebUrl: string,
): string {
  const rows = pullRequests
    .filter(
      (pr): pr is StoredPullRequest & { mergedAt: string } =>
        countsForTeam(pr) && within(pr.mergedAt, window),
    )
    .sort((a, b) => a.mergedAt.localeCompare(b.mergedAt) || a.number - b.number)
    .map((pr) => {
      const phases = cyclePhases(pr);
      const lines =
        pr.additions === undefined || pr.deletions === undefined
          ? null
          : pr.additions + pr.deletions;
      return [
        pr.repositoryFullName,
        pr.number,
        pr.title,
        pr.authorLogin,
        `${githubWebUrl.replace(/\/+$/, '')}/${pr.repositoryFullName}/pull/${pr.number}`,
        pr.createdAt,
        pr.mergedAt,
        hours(phases.cycle),
        hours(phases.coding),
        hours(phases.pickup),
        hours(phases.review),
        lines,
      ]
        .map(field)
        .join(',');
    });
  return [csvColumns.join(','), ...rows].map((line) => `${line}\r\n`).join('');
}
