import { organisationDay, userDays } from '../github/copilot-report-files.ts';
import {
  CopilotAccessError,
  type CopilotReport,
  type ReportAnswer,
} from '../github/copilot-reports.ts';
import { RateLimitedError } from '../github/rate-limited.ts';
import { isoWeek } from '../metrics/weeks.ts';
import type { CopilotJob } from '../queue/copilot-job.ts';
import {
  type ReportDay,
  recordCopilotAccess,
  storedReportDays,
  storeReportDay,
} from '../store/copilot-usage.ts';
import { markWeeksDirty } from '../store/dirty-weeks.ts';
import { getInstallation } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';

export interface CopilotFetchDependencies {
  table: TableRef;
  /** One report of one day of the organisation's, as GitHub answers it. */
  report: (organisation: string, report: CopilotReport, day: string) => Promise<ReportAnswer>;
  /** Queues the job again, after `delaySeconds` (SQS allows up to 900). */
  continueLater: (job: CopilotJob, delaySeconds: number) => Promise<void>;
  now: () => Date;
  remainingMs: () => number;
  /** How far back to fetch: GitHub keeps a year of reports. */
  historyDays: number;
  log?: (message: string, details: Record<string, unknown>) => void;
}

export type CopilotFetchOutcome =
  /** Every day up to yesterday is stored (or not yet published by GitHub). */
  | 'done'
  /** Out of time: continued in a new job. */
  | 'continued'
  /** Rate limited: continued after the reset. */
  | 'waiting'
  /** GitHub refused (permission or policy); recorded, asked again tomorrow. */
  | 'refused'
  /** Not an active organisation installation: nothing to fetch. */
  | 'skipped';

const dayMs = 86_400_000;
/** GitHub publishes a day's report within about two days: a younger day's 404 is "not yet", not "never". */
const publishedWithinDays = 3;
/** Kept for storing the day in hand and queueing the continuation. */
const stopWithMs = 30_000;

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * Fetches an installation's Copilot usage days not stored yet, newest first
 * (recent weeks fill in first), from yesterday back `historyDays`. Each day
 * is stored whatever GitHub answered — reports, "no data", no report — and
 * never asked for again, except a recent day GitHub has not published yet.
 * A refusal (permission not granted, metrics policy off) is recorded on the
 * installation and ends the job without a retry: the next day's run asks
 * once more. Weeks given new data are marked for the rollup.
 */
export async function fetchCopilotUsage(
  job: CopilotJob,
  deps: CopilotFetchDependencies,
): Promise<{ outcome: CopilotFetchOutcome; stored: string[] }> {
  const stored: string[] = [];
  const installation = await getInstallation(deps.table, job.installationId);
  // Copilot usage metrics are an organisation's; a user account has none.
  if (installation?.status !== 'active' || installation.accountType !== 'Organization')
    return { outcome: 'skipped', stored };
  const today = Date.parse(`${dayOf(deps.now().getTime())}T00:00:00Z`);
  const wanted = Array.from({ length: deps.historyDays }, (_, back) =>
    dayOf(today - (back + 1) * dayMs),
  );
  const have = await storedReportDays(
    deps.table,
    job.installationId,
    wanted.at(-1) ?? dayOf(today),
    wanted[0] ?? dayOf(today),
  );
  const fetch = (report: CopilotReport, day: string) =>
    deps.report(installation.accountLogin, report, day);
  const continuation = (): CopilotJob => ({
    ...job,
    trigger: 'continuation',
    idempotencyKey: `copilot:${job.installationId}:${deps.now().toISOString()}`,
    requestedAt: deps.now().toISOString(),
  });
  const checkedAt = () => deps.now().toISOString();
  try {
    for (const day of wanted.filter((wantedDay) => !have.has(wantedDay))) {
      if (deps.remainingMs() < stopWithMs) {
        await deps.continueLater(continuation(), 0);
        return { outcome: 'continued', stored };
      }
      const totals = await fetch('organization-1-day', day);
      const recent = today - Date.parse(`${day}T00:00:00Z`) <= publishedWithinDays * dayMs;
      if (totals.kind === 'not-available' && recent) continue;
      const users = totals.kind === 'files' ? await fetch('users-1-day', day) : totals;
      const report: ReportDay = {
        day,
        outcome: totals.kind === 'files' ? 'reported' : totals.kind,
        organisation: totals.kind === 'files' ? organisationDay(totals.files, day) : null,
        users: users.kind === 'files' ? userDays(users.files, day) : [],
      };
      await storeReportDay(deps.table, job.installationId, report, deps.now());
      if (report.outcome === 'reported')
        await markWeeksDirty(
          deps.table,
          job.installationId,
          [isoWeek(`${day}T12:00:00Z`)],
          deps.now(),
        );
      stored.push(day);
    }
  } catch (error) {
    if (error instanceof CopilotAccessError) {
      await recordCopilotAccess(deps.table, job.installationId, {
        access: error.access,
        checkedAt: checkedAt(),
        detail: error.message,
      });
      deps.log?.('GitHub refused the Copilot usage reports', {
        access: error.access,
        stored: stored.length,
      });
      return { outcome: 'refused', stored };
    }
    if (error instanceof RateLimitedError) {
      const seconds = Math.min(
        900,
        Math.max(1, Math.ceil((error.until - deps.now().getTime()) / 1000)),
      );
      await deps.continueLater(continuation(), seconds);
      return { outcome: 'waiting', stored };
    }
    throw error;
  }
  await recordCopilotAccess(deps.table, job.installationId, {
    access: 'reading',
    checkedAt: checkedAt(),
  });
  deps.log?.('Copilot usage up to date', { stored: stored.length });
  return { outcome: 'done', stored };
}
