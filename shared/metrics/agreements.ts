import type { ResolvedCalendar } from '../working-time/calendar.ts';
import { workingMs } from '../working-time/working-ms.ts';
import { cyclePhases } from './flow-metrics.ts';
import { openedAt, type StoredPullRequest } from './pull-request.ts';
import { peerReviews } from './review-load.ts';

/**
 * Working agreements: targets a team (or the organisation) sets for itself,
 * each optional. docs/metrics.md ("Working agreements") defines each; the
 * schema that checks them as a person sets them is `store/agreements.ts`.
 */
export interface WorkingAgreements {
  /** A first peer review within this many hours of entering review (working hours on a working calendar). */
  firstReviewWithinHours?: number;
  /** At most this many changed lines (additions + deletions). */
  maxChangedLines?: number;
  /** No merge without a peer review. */
  noMergeWithoutReview?: boolean;
  /** Merged within this many calendar days of its first commit. */
  cycleTimeWithinDays?: number;
}

export type AgreementName = keyof WorkingAgreements;

/** Which agreement each of a PR's figures met: only the agreements set, and only those its facts can tell. */
export type AgreementsMet = Partial<Record<AgreementName, boolean>>;

const hour = 3_600_000;
const day = 24 * hour;

/** A team's agreements: each it set itself, else the organisation's. */
export function effectiveAgreements(
  team: WorkingAgreements | undefined,
  organisation: WorkingAgreements | undefined,
): WorkingAgreements {
  return { ...organisation, ...withoutUnset(team ?? {}) };
}

function withoutUnset(agreements: WorkingAgreements): WorkingAgreements {
  return Object.fromEntries(
    Object.entries(agreements).filter(([, value]) => value !== undefined),
  ) as WorkingAgreements;
}

/**
 * Time a PR waits, in ms: on `calendar`'s working time when given, on the
 * clock otherwise (an installation that counts calendar time).
 */
export function waited(from: string | number, to: string | number, calendar?: ResolvedCalendar) {
  return calendar ? workingMs(from, to, calendar) : Number(new Date(to)) - Number(new Date(from));
}

/**
 * For a merged pull request, which of `agreements` it met. First review:
 * its first peer review came within the target after it entered review
 * (never reviewed: not met). Size: its changed lines, when known, are under
 * the limit. Review: it had a peer review before merging. Cycle time: first
 * commit (or creation) to merge within the days. An agreement not set, or
 * one the PR's facts cannot tell (size unknown), is left out.
 */
export function agreementsMet(
  pr: StoredPullRequest & { mergedAt: string },
  agreements: WorkingAgreements,
  calendar?: ResolvedCalendar,
): AgreementsMet {
  const met: AgreementsMet = {};
  const firstReview = peerReviews(pr).find((review) => review.submittedAt <= pr.mergedAt);
  if (agreements.firstReviewWithinHours !== undefined) {
    const ready = openedAt(pr) ?? pr.mergedAt;
    met.firstReviewWithinHours =
      firstReview !== undefined &&
      waited(ready, firstReview.submittedAt, calendar) <= agreements.firstReviewWithinHours * hour;
  }
  if (agreements.maxChangedLines !== undefined && pr.additions !== undefined) {
    met.maxChangedLines = pr.additions + (pr.deletions ?? 0) <= agreements.maxChangedLines;
  }
  if (agreements.noMergeWithoutReview) met.noMergeWithoutReview = firstReview !== undefined;
  if (agreements.cycleTimeWithinDays !== undefined) {
    met.cycleTimeWithinDays = cyclePhases(pr).cycle <= agreements.cycleTimeWithinDays * day;
  }
  return met;
}
