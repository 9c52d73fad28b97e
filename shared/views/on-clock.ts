import type { MetricRow } from '../metrics/rollup.ts';
import type { CountTime } from '../store/working-calendars.ts';

/**
 * A stored row with its durations on the clock a reader's team chose: as
 * stored (calendar hours), or their working-hours twins — flow durations,
 * lead time and its deploy phase; none (shown as "—") where the row was
 * rolled up before its scope had a calendar. Time to restore, DORA's
 * levels and the AI adoption comparison stay in calendar hours.
 */
export function onClock<Row extends Pick<MetricRow, 'metrics' | 'delivery'>>(
  row: Row,
  clock: CountTime,
): Row {
  if (clock === 'calendar') return row;
  const working = row.metrics.working;
  const metrics = {
    ...row.metrics,
    cycleTime: working?.cycleTime ?? null,
    codingTime: working?.codingTime ?? null,
    pickupTime: working?.pickupTime ?? null,
    reviewTime: working?.reviewTime ?? null,
    reviewTurnaround: working?.reviewTurnaround ?? null,
  };
  const delivery = row.delivery && {
    ...row.delivery,
    leadTime: row.delivery.working?.leadTime ?? null,
    deployPhase: row.delivery.working?.deployPhase ?? null,
  };
  return { ...row, metrics, ...(delivery ? { delivery } : {}) };
}

/** What a page's or digest's durations count, said once where its figures begin. */
export function clockNote(clock: CountTime, words: string): string {
  return clock === 'working'
    ? `Durations in ${words}, shown as "working h"; time to restore and the AI-assisted comparison in calendar hours ("h").`
    : 'Durations in calendar hours.';
}
