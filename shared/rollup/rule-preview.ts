import { mapWithConcurrency } from '../concurrency.ts';
import { deliveryLookback, deliveryWeek, endedWithin } from '../metrics/delivery-week.ts';
import { isProduction } from '../metrics/deployment.ts';
import type { Window } from '../metrics/flow-metrics.ts';
import { isIncident } from '../metrics/production-history.ts';
import { finishedWeek, shiftWeek, weekBounds } from '../metrics/time-zone.ts';
import {
  type DeliveryRules,
  deliveryRules,
  type InstallationRecord,
  installationTimeZone,
} from '../store/installations.ts';
import {
  type DeliverySource,
  deliveryHistories,
  deliveryPattern,
  deployingRepositories,
} from './delivery-histories.ts';
import { readOnce } from './read-once.ts';
import { weekSpan } from './week-span.ts';

/** Finished weeks a rule preview counts over: enough to show a pattern's effect, little to read. */
export const previewWeeks = 4;

/** What counts under one set of delivery rules, summed over the preview's weeks, as the rollup counts it. */
export interface RuleCounts {
  /** Successful production deployments: the weekly figure `deployments`. */
  deployments: number;
  /** Production deployments that ended, successful or failed: change failure's denominator. */
  ended: number;
  /** Those that failed: change failure's numerator. */
  failed: number;
  /** Of those, the ones an incident failed. */
  failedByIncident: number;
  /** Stored issues whose labels match, opened in the weeks. */
  incidents: number;
  /** Releases counted as production deployments: with the releases source, every one that ended; else none. */
  releases: number;
}

/** An environment GitHub deployments went to in the weeks, and whether each rule set counts them as production. */
export interface EnvironmentSeen {
  name: string;
  deployments: number;
  countsNow: boolean;
  countsProposed: boolean;
}

export interface RulePreview {
  /** The weeks counted, oldest first. */
  weeks: string[];
  rules: { now: DeliveryRules; proposed: DeliveryRules };
  now: RuleCounts;
  proposed: RuleCounts;
  /** By name; deployments counted from those made in the weeks. */
  environments: EnvironmentSeen[];
}

/**
 * What the last finished weeks' delivery figures are under the
 * installation's rules and would be under `proposed` (the same
 * installation with other rules): each week's histories by
 * `deliveryHistories` and its figures by `deliveryWeek`, the rollup's own
 * functions, over the week as the rollup spans it (`zones`: its own and its
 * teams'), so the preview is what the rollup stores once the rules are saved.
 * Every week under both rule sets reads from facts read once (`readOnce`):
 * each repository's deployments, releases and branch over the weeks and their
 * look-around, its incidents, and the merged PRs every week needs, in one read.
 */
export async function rulePreview(
  source: DeliverySource,
  installation: InstallationRecord,
  proposed: InstallationRecord,
  zones: readonly string[],
  now: Date,
): Promise<RulePreview> {
  const timeZone = installationTimeZone(installation);
  const last = finishedWeek(now, timeZone);
  const weeks = Array.from({ length: previewWeeks }, (_, back) =>
    shiftWeek(last, back - previewWeeks + 1),
  );
  const spans = weeks.map((week) => weekSpan(week, zones));
  const once = readOnce(source, {
    from: new Date(
      Math.min(...spans.map((span) => span.start.getTime())) - deliveryLookback.beforeMs,
    ),
    to: new Date(
      Math.min(
        Math.max(...spans.map((span) => span.end.getTime())) + deliveryLookback.afterMs,
        now.getTime(),
      ),
    ),
  });
  const plans = [installation, proposed].flatMap((rules) => spans.map((span) => ({ rules, span })));
  // First what merged PRs every week needs, to read them once; a plan at a time, as a rollup reads.
  const needs: Window[] = [];
  for (const { rules, span } of plans) {
    const around = await deployingRepositories(once, rules, span, now);
    if (around) needs.push(around.changes);
  }
  if (needs.length > 0)
    once.readMerged({
      start: new Date(Math.min(...needs.map((window) => window.start.getTime()))),
      end: new Date(Math.max(...needs.map((window) => window.end.getTime()))),
    });
  // The weeks as the installation's own rows cut them, and the four of them together.
  const counted = weeks.map((week) => weekBounds(week, timeZone));
  const together = {
    start: counted[0]?.start ?? now,
    end: counted.at(-1)?.end ?? now,
  };
  const incidents = (
    await mapWithConcurrency(await once.repositories(), 4, (repository) =>
      once.incidents(repository.repositoryId),
    )
  ).flat();
  const countsUnder = async (rules: InstallationRecord): Promise<RuleCounts> => {
    const counts = { deployments: 0, ended: 0, failed: 0, failedByIncident: 0 };
    for (const [index, span] of spans.entries()) {
      const window = counted[index] as (typeof counted)[number];
      const histories = (await deliveryHistories(once, rules, span, now)).map(
        (repository) => repository.history,
      );
      const figures = deliveryWeek(histories, window, timeZone);
      counts.deployments += figures.deployments;
      counts.ended += figures.changeFailure?.deployments ?? 0;
      counts.failed += figures.changeFailure?.failed ?? 0;
      counts.failedByIncident += endedWithin(histories, window).filter(
        (deploy) => deploy.failedBy?.kind === 'incident',
      ).length;
    }
    const { source: deployedBy, incidentRules } = deliveryRules(rules);
    return {
      ...counts,
      incidents: incidents.filter(
        (incident) =>
          isIncident(incident.labels, incidentRules.labelPattern) &&
          within(incident.openedAt, together),
      ).length,
      releases: deployedBy === 'releases' ? counts.ended : 0,
    };
  };
  return {
    weeks,
    rules: { now: deliveryRules(installation), proposed: deliveryRules(proposed) },
    now: await countsUnder(installation),
    proposed: await countsUnder(proposed),
    environments: await environmentsSeen(once, installation, proposed, together),
  };
}

/** Whether a time falls in the window, its end excluded, as a week's figures count it. */
function within(at: string, window: Window): boolean {
  const time = Date.parse(at);
  return time >= window.start.getTime() && time < window.end.getTime();
}

/** The environments of the GitHub deployments made in the weeks, with how many went to each. */
async function environmentsSeen(
  source: DeliverySource,
  installation: InstallationRecord,
  proposed: InstallationRecord,
  weeks: Window,
): Promise<EnvironmentSeen[]> {
  // Ranges include their end; the weeks do not.
  const range = { from: weeks.start, to: new Date(weeks.end.getTime() - 1) };
  const made = await mapWithConcurrency(await source.repositories(), 4, (repository) =>
    source.deployments(repository.repositoryId, range),
  );
  const counts = new Map<string, number>();
  for (const deployment of made.flat())
    counts.set(deployment.environment, (counts.get(deployment.environment) ?? 0) + 1);
  // GitHub deployments count only with them as the source, and then to production only.
  const countsAsProduction = (rules: DeliveryRules, name: string) =>
    rules.source === 'deployments' && isProduction(name, deliveryPattern(rules));
  const [now, next] = [deliveryRules(installation), deliveryRules(proposed)];
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, deployments]) => ({
      name,
      deployments,
      countsNow: countsAsProduction(now, name),
      countsProposed: countsAsProduction(next, name),
    }));
}
