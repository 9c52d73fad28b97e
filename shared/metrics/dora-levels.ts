import type { DeliveryWeek } from './delivery-week.ts';
import table from './dora-levels.json' with { type: 'json' };

/** DORA's performance levels, best first; the thresholds are data (`dora-levels.json`, with their source and year). */
export type DoraLevel = 'elite' | 'high' | 'medium' | 'low';

export interface DoraLevels {
  deploymentFrequency: DoraLevel;
  /** Null without a figure to judge: no change shipped, no deployment ended, nothing restored. */
  leadTime: DoraLevel | null;
  changeFailureRate: DoraLevel | null;
  timeToRestore: DoraLevel | null;
  /** Where the thresholds come from. */
  source: { name: string; url: string; year: number };
}

const levels = table.levels as DoraLevel[];

/** The first level whose edge `passes`; the last (low) when none does. */
function levelBy(edges: readonly number[], passes: (edge: number) => boolean): DoraLevel {
  const index = edges.findIndex(passes);
  return levels[index === -1 ? edges.length : index] as DoraLevel;
}

/**
 * A week's level on each key. Deployment frequency is judged over the four
 * weeks ending with it (a week alone cannot tell monthly from rarer):
 * daily on average is elite, weekly high, monthly medium. The others are
 * the week's median lead time and restore time, and its failure rate.
 */
export function doraLevels(delivery: DeliveryWeek, deploymentsInFourWeeks: number): DoraLevels {
  return {
    deploymentFrequency: levelBy(
      table.deploymentFrequency.atLeastPerFourWeeks,
      (edge) => deploymentsInFourWeeks >= edge,
    ),
    leadTime: delivery.leadTime
      ? levelBy(table.leadTimeHours.below, (edge) => (delivery.leadTime?.median ?? 0) < edge)
      : null,
    changeFailureRate: delivery.changeFailure
      ? levelBy(
          table.changeFailurePercent.atMost,
          (edge) => (delivery.changeFailure?.rate ?? 0) * 100 <= edge,
        )
      : null,
    timeToRestore: delivery.timeToRestore
      ? levelBy(
          table.timeToRestoreHours.below,
          (edge) => (delivery.timeToRestore?.median ?? 0) < edge,
        )
      : null,
    source: { name: table.source, url: table.url, year: table.year },
  };
}
