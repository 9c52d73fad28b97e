import type { FlowMetrics } from '../metrics/flow-metrics.ts';
import type { DeliveryRules } from '../store/installations.ts';
import type { CountTime } from '../store/working-calendars.ts';
import { deliveryRows, whatCounts } from '../views/delivery-rows.ts';
import { durationUnit, formatValue } from '../views/format.ts';
import type { DeliveryView } from '../views/weekly-metrics-view.ts';
import { type Column, type DigestSection, tableSection } from './email-parts.ts';

const columns: Column[] = [
  { title: 'Delivery' },
  { title: 'This week', align: 'right' },
  { title: 'vs last week', align: 'right' },
  { title: '4-week avg', align: 'right' },
  { title: 'DORA level' },
];

/**
 * The digest's "Delivery" section: production deployments, lead time for
 * changes with its phases, change failure rate and time to restore, each
 * against last week and the four-week average, with its DORA level, and
 * what counts as a deployment and an incident. Left
 * out while the installation has no production deployment on record.
 */
export function deliverySection(
  delivery: DeliveryView | null,
  organisation: FlowMetrics | null,
  rules: DeliveryRules,
  clock: CountTime,
): DigestSection | null {
  if (!delivery) return null;
  const rows = deliveryRows(delivery, clock).map((row) => [
    row.label,
    row.value,
    row.change.text,
    row.fourWeekAverage,
    row.level,
  ]);
  const { figures, levels } = delivery;
  const phase = (value: number | null | undefined) =>
    formatValue(value ?? null, durationUnit(clock));
  const lines = [
    figures.leadTime
      ? `Lead time, phase by phase (medians): coding ${phase(organisation?.codingTime?.median)}, pickup ${phase(organisation?.pickupTime?.median)}, review ${phase(organisation?.reviewTime?.median)} (merged PRs), then merge to production ${phase(figures.deployPhase?.median)} (${figures.leadTime.count} changes shipped).`
      : 'No change reached production this week: no lead time to show.',
    figures.changeFailure
      ? `${figures.changeFailure.failed} of ${figures.changeFailure.deployments} production deployments failed (a failed status, a rollback, a revert or an incident).`
      : '',
    `${whatCounts(rules)} Levels from ${levels.source.name}.`,
  ].filter(Boolean);
  return tableSection('Delivery', columns, rows, lines);
}
