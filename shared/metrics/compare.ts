import type { DeliveryWeek } from './delivery-week.ts';
import { round2 } from './distribution.ts';
import type { FlowMetrics } from './flow-metrics.ts';

/**
 * The numbers a digest leads with, and how each reads. Unit `hours` is a
 * duration shown on the clock the reader's team chose (calendar or working
 * hours, format.ts's `durationUnit`); `h` is always calendar hours.
 */
export const headlines = [
  { key: 'merged', label: 'PRs merged', unit: '', betterWhen: 'higher' },
  { key: 'opened', label: 'PRs opened', unit: '', betterWhen: 'higher' },
  { key: 'cycleTimeMedian', label: 'Cycle time (median)', unit: 'hours', betterWhen: 'lower' },
  { key: 'pickupTimeMedian', label: 'Pickup time (median)', unit: 'hours', betterWhen: 'lower' },
  { key: 'reviewTimeMedian', label: 'Review time (median)', unit: 'hours', betterWhen: 'lower' },
  {
    key: 'mergedWithoutReviewShare',
    label: 'Merged without review',
    unit: '%',
    betterWhen: 'lower',
  },
  { key: 'medianLinesChanged', label: 'PR size (median lines)', unit: '', betterWhen: 'lower' },
  { key: 'aiAssistedShare', label: 'AI-assisted', unit: '%', betterWhen: 'neither' },
] as const;

export type HeadlineKey = (typeof headlines)[number]['key'];

export function headlineValues(metrics: FlowMetrics): Record<HeadlineKey, number | null> {
  return {
    merged: metrics.merged,
    opened: metrics.opened,
    cycleTimeMedian: metrics.cycleTime?.median ?? null,
    pickupTimeMedian: metrics.pickupTime?.median ?? null,
    reviewTimeMedian: metrics.reviewTime?.median ?? null,
    mergedWithoutReviewShare: metrics.mergedWithoutReviewShare,
    medianLinesChanged: metrics.medianLinesChanged,
    aiAssistedShare: metrics.aiAssistedShare,
  };
}

/** The delivery (DORA) numbers a week leads with, once its installation has deployments. */
export const deliveryHeadlines = [
  { key: 'deployments', label: 'Production deployments', unit: '', betterWhen: 'higher' },
  { key: 'deploymentDays', label: 'Days with a deployment', unit: '', betterWhen: 'higher' },
  {
    key: 'leadTimeMedian',
    label: 'Lead time for changes (median)',
    unit: 'hours',
    betterWhen: 'lower',
  },
  {
    key: 'deployPhaseMedian',
    label: 'Merge to production (median)',
    unit: 'hours',
    betterWhen: 'lower',
  },
  { key: 'changeFailureRate', label: 'Change failure rate', unit: '%', betterWhen: 'lower' },
  { key: 'timeToRestoreMedian', label: 'Time to restore (median)', unit: 'h', betterWhen: 'lower' },
] as const;

export type DeliveryHeadlineKey = (typeof deliveryHeadlines)[number]['key'];

export function deliveryHeadlineValues(
  delivery: DeliveryWeek,
): Record<DeliveryHeadlineKey, number | null> {
  return {
    deployments: delivery.deployments,
    deploymentDays: delivery.deploymentDays,
    leadTimeMedian: delivery.leadTime?.median ?? null,
    deployPhaseMedian: delivery.deployPhase?.median ?? null,
    changeFailureRate: delivery.changeFailure?.rate ?? null,
    timeToRestoreMedian: delivery.timeToRestore?.median ?? null,
  };
}

export interface HeadlineChange {
  value: number | null;
  previousWeek: number | null;
  /** value − previous week; null when either is unknown. */
  change: number | null;
  /** Mean over the four weeks before this one that have a value. */
  fourWeekAverage: number | null;
}

/**
 * Each headline against the week before and the four-week average.
 * `history` holds the previous weeks' metrics, newest first (null: a week
 * with no stored rollup).
 */
export function compareWithHistory(
  current: FlowMetrics,
  history: readonly (FlowMetrics | null)[],
): Record<HeadlineKey, HeadlineChange> {
  return compareValues(
    headlineValues(current),
    history.map((week) => (week ? headlineValues(week) : null)),
  );
}

/** Each value against the week before and the mean of the (up to) four before it that have one. */
export function compareValues<Key extends string>(
  now: Record<Key, number | null>,
  history: readonly (Record<Key, number | null> | null)[],
): Record<Key, HeadlineChange> {
  const past = history.slice(0, 4);
  const result = {} as Record<Key, HeadlineChange>;
  for (const key of Object.keys(now) as Key[]) {
    const value = now[key];
    const previousWeek = past[0]?.[key] ?? null;
    const known = past.map((week) => week?.[key] ?? null).filter((v): v is number => v !== null);
    result[key] = {
      value,
      previousWeek,
      change: value !== null && previousWeek !== null ? round2(value - previousWeek) : null,
      fourWeekAverage:
        known.length > 0 ? round2(known.reduce((sum, v) => sum + v, 0) / known.length) : null,
    };
  }
  return result;
}
