import { type Clock, calendarClock } from './clock.ts';
import { type Distribution, distributionOf } from './distribution.ts';
import type { ProductionDeploy } from './production-history.ts';
import { localDayAndHour } from './time-zone.ts';
import { weeksBetween } from './weeks.ts';

/** A week's delivery (DORA) figures for a team or a repository; definitions in docs/metrics.md. */
export interface DeliveryWeek {
  /** Successful production deployments that ended in the week, rollbacks included. */
  deployments: number;
  /** Days of the week (in the installation's time zone) with at least one. */
  deploymentDays: number;
  /** First commit → shipped, over the changes shipped in the week; null when none was. */
  leadTime: Distribution | null;
  /** Merge → shipped, the fourth phase of cycle time, over the same changes. */
  deployPhase: Distribution | null;
  /** Production deployments that ended in the week and failed, of all that ended; null without any. */
  changeFailure: { failed: number; deployments: number; rate: number } | null;
  /** Failed deployment → production good again, over the week's failures restored within the look-ahead. */
  timeToRestore: Distribution | null;
  /**
   * Lead time and its deploy phase in working hours on the scope's calendar,
   * when it has one. Time to restore stays in calendar hours: production
   * down on a Saturday is down, and DORA counts it so.
   */
  working?: Pick<DeliveryWeek, 'leadTime' | 'deployPhase'>;
}

const day = 86_400_000;
/**
 * How far around a week its delivery figures look. Back: the deployments
 * before it (what production had), and the changes they could ship — a
 * change merged more than 30 days before the week is not attributed. Ahead: what
 * failed the week's deployments or restored production later (a rollback,
 * a revert, an incident, the next success). Bounded, so a week's rollup
 * reads its weeks' data, never the repository's whole history.
 */
export const deliveryLookback = { beforeMs: 30 * day, afterMs: 14 * day };

/** The weeks whose delivery figures a deployment, status or incident at these times can change: its own and those it can still fail or restore. */
export function deliveryEventWeeks(times: readonly string[]): string[] {
  return [
    ...new Set(
      times.flatMap((at) =>
        weeksBetween(Date.parse(at) - deliveryLookback.afterMs, Date.parse(at)),
      ),
    ),
  ];
}

/** Milliseconds from one ISO time to another (distributionOf turns them into hours). */
const between = (from: string, to: string) => Date.parse(to) - Date.parse(from);

/**
 * A failed deployment's time to restore, in the week it ended (with its
 * failure, whichever week an incident opened or closed in), once restored.
 * A restore later than the look-ahead after the week never counts, whatever
 * restored it: a week's rollup reads deployments and merges only that far,
 * so a late success, rollback or revert is never seen, and an incident
 * closed as late is left out alike rather than counted by the one reason
 * read whole.
 */
export function countedRestoreMs(deploy: ProductionDeploy, weekEnd: Date): number | null {
  if (!deploy.failedAt || !deploy.restoredAt) return null;
  const seen = Date.parse(deploy.restoredAt) < weekEnd.getTime() + deliveryLookback.afterMs;
  return seen ? between(deploy.failedAt, deploy.restoredAt) : null;
}

/** The production deployments that ended in the window: those its delivery figures count. */
export function endedWithin(
  histories: readonly (readonly ProductionDeploy[])[],
  window: { start: Date; end: Date },
): ProductionDeploy[] {
  return histories.flat().filter((deploy) => {
    const at = Date.parse(deploy.at);
    return at >= window.start.getTime() && at < window.end.getTime();
  });
}

/** Lead time (first commit → shipped) and its deploy phase (merge → shipped) of shipped changes, on a clock. */
function shippedDurations(
  shipped: readonly { change: ProductionDeploy['shipped'][number]; shippedAt: string }[],
  clock: Clock,
): Pick<DeliveryWeek, 'leadTime' | 'deployPhase'> {
  const at = (when: string) => Date.parse(when);
  return {
    leadTime: distributionOf(
      shipped.flatMap(({ change, shippedAt }) =>
        change.firstCommitAt ? [clock(at(change.firstCommitAt), at(shippedAt))] : [],
      ),
    ),
    deployPhase: distributionOf(
      shipped.map(({ change, shippedAt }) => clock(at(change.mergedAt), at(shippedAt))),
    ),
  };
}

export function deliveryWeek(
  histories: readonly (readonly ProductionDeploy[])[],
  window: { start: Date; end: Date },
  timeZone: string,
  working?: Clock,
): DeliveryWeek {
  const inWeek = endedWithin(histories, window);
  const successes = inWeek.filter((deploy) => deploy.state === 'success');
  const shipped = successes.flatMap((deploy) =>
    deploy.shipped.map((change) => ({ change, shippedAt: deploy.at })),
  );
  const failed = inWeek.filter((deploy) => deploy.failedBy !== null);
  return {
    deployments: successes.length,
    deploymentDays: new Set(
      successes.map((deploy) => localDayAndHour(new Date(deploy.at), timeZone).weekday),
    ).size,
    ...shippedDurations(shipped, calendarClock),
    changeFailure:
      inWeek.length === 0
        ? null
        : {
            failed: failed.length,
            deployments: inWeek.length,
            rate: Math.round((failed.length / inWeek.length) * 1000) / 1000,
          },
    timeToRestore: distributionOf(
      failed.flatMap((deploy) => {
        const restore = countedRestoreMs(deploy, window.end);
        return restore === null ? [] : [restore];
      }),
    ),
    ...(working ? { working: shippedDurations(shipped, working) } : {}),
  };
}
