import { type AgreementWeek, compareAgreements } from '../metrics/agreement-shares.ts';
import type { AiAdoption } from '../metrics/ai-adoption.ts';
import {
  compareValues,
  compareWithHistory,
  type DeliveryHeadlineKey,
  deliveryHeadlineValues,
  type HeadlineChange,
  type HeadlineKey,
} from '../metrics/compare.ts';
import type { DeliveryWeek } from '../metrics/delivery-week.ts';
import { type DoraLevels, doraLevels } from '../metrics/dora-levels.ts';
import { type FlowMetrics, flowMetrics } from '../metrics/flow-metrics.ts';
import type { MetricRow } from '../metrics/rollup.ts';
import { finishedWeek, shiftWeek } from '../metrics/time-zone.ts';
import type { CopilotAccessRecord } from '../store/copilot-usage.ts';
import { type InstallationRecord, installationTimeZone } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';
import { readWeeklyMetrics, readWeeklyRow } from '../store/weekly-metrics.ts';
import type { CountTime } from '../store/working-calendars.ts';
import { agreementNames } from './agreement-words.ts';
import { onClock } from './on-clock.ts';

/** A week's figures with no pull request in it: a team's in a week it did no work. */
const quietWeek = flowMetrics([], { start: new Date(0), end: new Date(0) }, []);

/** A repository's or an author's row of a week: its id (GitHub's), name and figures. */
export type ScopeRow = Omit<MetricRow, 'row' | 'scope' | 'ai'> & { id: number };

/** A GitHub team's row of a week: its figures as a scope's, its AI adoption, and — where the view read every week's rows — its headlines compared as the organisation's are. */
export type TeamRow = ScopeRow & {
  aiAdoption: AiAdoption | null;
  headlines?: Record<HeadlineKey, HeadlineChange>;
};

export interface WeekView {
  week: string;
  /** The organisation's (or user account's) flow figures: every pull request once. */
  organisation: FlowMetrics | null;
  headlines: Record<HeadlineKey, HeadlineChange> | null;
  /** AI-assisted PRs against the rest, and Copilot's use that week. */
  aiAdoption: AiAdoption | null;
  /** The organisation's delivery (DORA) figures, compared and levelled; null while no production deployment is on record around the week. */
  delivery: DeliveryView | null;
  /** Each working agreement the organisation (a team's view: the team) set, its share met compared; empty when none is set. */
  agreements: AgreementWeek[];
  /** Each GitHub team with work in the week: figures that overlap, and do not add up to the organisation's. */
  teams: TeamRow[];
  repositories: ScopeRow[];
  authors: ScopeRow[];
  /** Some of the week's rows were held back from this reader (`mayShow`): the organisation row among them when `organisation` is null. */
  withheld: boolean;
}

export interface DeliveryView {
  figures: DeliveryWeek;
  headlines: Record<DeliveryHeadlineKey, HeadlineChange>;
  levels: DoraLevels;
}

export interface WeeklyMetricsView {
  installationId: number;
  accountLogin: string;
  timeZone: string;
  /** The clock its durations are on: calendar hours, or the scope's working hours (on-clock.ts). */
  clock: CountTime;
  /**
   * Whether GitHub shows Flowmeter the organisation's Copilot usage: null
   * until first asked; `no-permission` and `disabled` say why the AI
   * adoption figures have no Copilot part.
   */
  copilot: CopilotAccessRecord | null;
  weeks: WeekView[];
}

/** Whether a reader may see a stored row; the dashboard's per-repository visibility decides. */
export type RowFilter = (row: Pick<MetricRow, 'row' | 'scope' | 'repositoryIds'>) => boolean;

/**
 * A view of one GitHub team's work instead of the organisation's: the team's
 * row in the organisation's place, the repositories it touched, its members'
 * rows — the team digest's.
 */
export interface TeamFocus {
  teamId: number;
  /** The zone the team's weeks are cut in. */
  timeZone: string;
  /** Who was in the team in the weeks shown: the authors' rows kept. */
  memberIds: ReadonlySet<number>;
}

/**
 * `weeks` weeks of an installation up to `through` (default: the last
 * finished week in its time zone), newest first, with the headline numbers
 * compared to the week before and the four-week average. The API and the
 * digest both read this, so they show the same numbers. With `mayShow`,
 * rows it refuses are left out before anything is compared, so no
 * comparison carries a figure the reader may not see. With `team`, the
 * figures are that team's (`TeamFocus`).
 */
export async function weeklyMetricsView(
  table: TableRef,
  installation: InstallationRecord,
  range: {
    weeks: number;
    now: Date;
    through?: string;
    mayShow?: RowFilter;
    team?: TeamFocus;
    /** The clock durations are shown on (on-clock.ts); calendar hours unless told. */
    clock?: CountTime;
    /**
     * Whose rows each week carries: every scope's (the API, a repository's or
     * an author's page), or, for a page whose tables show only the latest
     * week (the installation's and a team's page, the digest), the head
     * row alone before it — a fraction of the reads in a large organisation.
     */
    rowsOf?: 'every week' | 'latest week';
  },
): Promise<WeeklyMetricsView> {
  const { installationId } = installation;
  const { weeks, mayShow = () => true, team, clock = 'calendar' } = range;
  const timeZone = team?.timeZone ?? installationTimeZone(installation);
  const headRow = team ? `team#${team.teamId}` : 'organisation';
  const last = range.through ?? finishedWeek(range.now, timeZone);
  // Four more weeks back, for the comparisons of the oldest shown.
  const first = shiftWeek(last, -(weeks + 3));
  const stored =
    range.rowsOf === 'latest week'
      ? (
          await Promise.all([
            readWeeklyRow(
              table,
              installationId,
              headRow,
              Array.from({ length: weeks + 3 }, (_, index) => shiftWeek(first, index)),
            ),
            readWeeklyMetrics(table, installationId, last, last),
          ])
        ).flat()
      : await readWeeklyMetrics(table, installationId, first, last);
  const items = stored.filter(mayShow).map((item) => onClock(item, clock));
  // DORA's levels are thresholds in calendar time: they judge the figures as stored.
  const calendarDeliveryOf = new Map(
    stored
      .filter((item) => item.row === headRow && mayShow(item))
      .map((item) => [item.week, item.delivery ?? null]),
  );
  // Weeks with figures left out for the repositories they cover. Another team's row left out says
  // nothing of repositories (it may be a secret team, or a team page's other teams): a row the
  // reader may not see for its repositories implies a left-out organisation row anyway.
  const withheldWeeks = new Set(
    stored
      .filter((item) => !mayShow(item) && (item.scope !== 'team' || item.row === headRow))
      .map((item) => item.week),
  );
  const organisationRows = items.filter((item) => item.row === headRow);
  const organisationOf = new Map(organisationRows.map((item) => [item.week, item.metrics]));
  const aiOf = new Map(organisationRows.map((item) => [item.week, item.ai ?? null]));
  const deliveryOf = new Map(organisationRows.map((item) => [item.week, item.delivery ?? null]));
  const agreementsOf = new Map(organisationRows.map((item) => [item.week, item.agreements]));
  const shown = Array.from({ length: weeks }, (_, index) => shiftWeek(last, -index));
  // A team's headlines need its weeks before: only where every week's rows were read.
  const teamHeadlines =
    range.rowsOf === 'latest week' ? () => ({}) : teamHeadlinesFrom(items, organisationOf);
  return {
    installationId,
    accountLogin: installation.accountLogin,
    timeZone,
    clock,
    copilot: installation.copilot ?? null,
    weeks: shown.map((week) => {
      const organisation = organisationOf.get(week) ?? null;
      const history = [1, 2, 3, 4].map(
        (back) => organisationOf.get(shiftWeek(week, -back)) ?? null,
      );
      const head = organisationRows.find((item) => item.week === week);
      // A team's view keeps the repositories it touched and its members.
      const inFocus = (item: MetricRow) =>
        !team ||
        item.row === headRow ||
        (item.scope === 'repository' &&
          (head?.repositoryIds ?? []).includes(Number(item.row.split('#')[1]))) ||
        (item.scope === 'author' && team.memberIds.has(Number(item.row.split('#')[1])));
      const ofScope = (scope: MetricRow['scope']) =>
        items.filter((item) => item.week === week && item.scope === scope && inFocus(item));
      const scopeRow = ({
        row,
        name,
        metrics,
        copilotActive,
        delivery,
        repositoryIds,
      }: MetricRow): ScopeRow => ({
        id: Number(row.split('#')[1]),
        name,
        metrics,
        ...(copilotActive === undefined ? {} : { copilotActive }),
        ...(delivery ? { delivery } : {}),
        ...(repositoryIds ? { repositoryIds } : {}),
      });
      const rows = (scope: MetricRow['scope']) => ofScope(scope).map(scopeRow);
      const delivery = deliveryOf.get(week) ?? null;
      const deliveryHistory = [1, 2, 3, 4].map(
        (back) => deliveryOf.get(shiftWeek(week, -back)) ?? null,
      );
      return {
        week,
        organisation,
        headlines: organisation ? compareWithHistory(organisation, history) : null,
        aiAdoption: aiOf.get(week) ?? null,
        delivery: delivery && {
          figures: delivery,
          headlines: compareValues(
            deliveryHeadlineValues(delivery),
            deliveryHistory.map((past) => (past ? deliveryHeadlineValues(past) : null)),
          ),
          levels: doraLevels(
            calendarDeliveryOf.get(week) ?? delivery,
            [delivery, ...deliveryHistory.slice(0, 3)].reduce(
              (sum, past) => sum + (past?.deployments ?? 0),
              0,
            ),
          ),
        },
        agreements: compareAgreements(
          agreementsOf.get(week),
          [1, 2, 3, 4].map((back) => agreementsOf.get(shiftWeek(week, -back))),
          agreementNames,
        ),
        teams: ofScope('team').map((item) => ({
          ...scopeRow(item),
          aiAdoption: item.ai ?? null,
          ...teamHeadlines(item),
        })),
        repositories: rows('repository'),
        authors: rows('author'),
        withheld: withheldWeeks.has(week),
      };
    }),
  };
}

/**
 * A team's headlines, as the organisation's, against its rows of the four
 * weeks before. A team with no work in a week that was rolled up has no row:
 * it merged nothing (counted as none), where a week not rolled up is unknown.
 */
function teamHeadlinesFrom(
  items: readonly (MetricRow & { week: string })[],
  organisationOf: ReadonlyMap<string, FlowMetrics>,
) {
  const rowOf = new Map(items.map((item) => [`${item.week} ${item.row}`, item]));
  return (item: MetricRow & { week: string }) => ({
    headlines: compareWithHistory(
      item.metrics,
      [1, 2, 3, 4].map((back) => {
        const before = shiftWeek(item.week, -back);
        const quiet = organisationOf.has(before) ? quietWeek : null;
        return rowOf.get(`${before} ${item.row}`)?.metrics ?? quiet;
      }),
    ),
  });
}

/** Why a view has no Copilot figures, in a sentence the digest and the dashboard both show; null when GitHub shows them. */
export function copilotRefusal(access: CopilotAccessRecord | null): string | null {
  if (access?.access === 'no-permission')
    return 'Copilot usage is not shown: the App has not been granted the "Organization Copilot metrics" read permission.';
  if (access?.access === 'disabled')
    return 'Copilot usage is not shown: the Copilot usage metrics policy is off for the organisation.';
  return null;
}
