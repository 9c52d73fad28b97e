import { aiSignal } from '../metrics/ai-assisted.ts';
import { countsInFlowFigures, cyclePhases, type Window, within } from '../metrics/flow-metrics.ts';
import type { StoredPullRequest } from '../metrics/pull-request.ts';
import { aiSignalWords } from '../views/figure-reasons.ts';
import { type CsvColumn, csvOf } from './csv.ts';

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
  /** What marked it AI-assisted, in words (`ai-signal-words.ts`); null when nothing did. */
  aiSignal: string | null;
}

/** Milliseconds as hours to the hundredth, as every list and CSV of the dashboard gives them. */
export const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;

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
        aiSignal: aiSignalWords(aiSignal(pr)),
      };
    });
}

/** The CSV's columns; `author` only where the installation shows per-person figures. */
export function pullRequestColumns(showAuthors: boolean): CsvColumn<MergedPullRequest>[] {
  return [
    ['repository', (row) => row.repository],
    ['number', (row) => row.number],
    ['title', (row) => row.title],
    ...(showAuthors ? [['author', (row: MergedPullRequest) => row.author] as const] : []),
    ['url', (row) => row.url],
    ['created_at', (row) => row.createdAt],
    ['merged_at', (row) => row.mergedAt],
    ['cycle_hours', (row) => row.cycleHours],
    ['coding_hours', (row) => row.codingHours],
    ['pickup_hours', (row) => row.pickupHours],
    ['review_hours', (row) => row.reviewHours],
    ['lines_changed', (row) => row.linesChanged],
  ];
}

/**
 * The rows as CSV (`csv.ts`). Without per-person figures there is no author
 * column: a spreadsheet of each PR's cycle time by author would rebuild the
 * ranking the setting turns off.
 */
export function pullRequestsCsv(
  rows: readonly MergedPullRequest[],
  { showAuthors }: { showAuthors: boolean },
): string {
  return csvOf(rows, pullRequestColumns(showAuthors));
}
