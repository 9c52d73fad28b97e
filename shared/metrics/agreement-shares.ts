import type { ResolvedCalendar } from '../working-time/calendar.ts';
import { type AgreementName, agreementsMet, type WorkingAgreements } from './agreements.ts';
import { countsInFlowFigures } from './flow-metrics.ts';
import type { StoredPullRequest } from './pull-request.ts';
import { type Window, within } from './weeks.ts';

/** How many of a week's merged PRs met one agreement, of those its facts could tell, and the target as set. */
export interface AgreementShare {
  met: number;
  of: number;
  target: number | true;
}

export type AgreementShares = Partial<Record<AgreementName, AgreementShare>>;

/** A scope's agreements and the calendar its waits count on (only where it counts working hours). */
export interface ScopeAgreements {
  agreements: WorkingAgreements;
  counting?: ResolvedCalendar | undefined;
}

/**
 * For each agreement a scope set, the share of the week's merged PRs (those
 * the flow figures count) that met it (docs/metrics.md, "Working
 * agreements"); undefined when it set none.
 */
export function agreementShares(
  pullRequests: readonly StoredPullRequest[],
  week: Window,
  scope: ScopeAgreements | undefined,
): AgreementShares | undefined {
  if (!scope) return undefined;
  const shares: AgreementShares = {};
  for (const [name, target] of Object.entries(scope.agreements) as [
    AgreementName,
    number | boolean | undefined,
  ][])
    if (target !== undefined && target !== false) shares[name] = { met: 0, of: 0, target };
  if (Object.keys(shares).length === 0) return undefined;
  for (const pr of pullRequests) {
    if (!countsInFlowFigures(pr) || !within(pr.mergedAt, week)) continue;
    const met = agreementsMet(
      pr as StoredPullRequest & { mergedAt: string },
      scope.agreements,
      scope.counting,
    );
    for (const [name, yes] of Object.entries(met) as [AgreementName, boolean][]) {
      const share = shares[name];
      if (!share) continue;
      share.of += 1;
      if (yes) share.met += 1;
    }
  }
  return shares;
}
