import { patternInWords } from '../metrics/admin-pattern.ts';
import { deliveryHeadlines } from '../metrics/compare.ts';
import { deploymentSourceWords } from '../metrics/deployment.ts';
import type { DoraLevels } from '../metrics/dora-levels.ts';
import type { DeliveryRules } from '../store/installations.ts';
import type { CountTime } from '../store/working-calendars.ts';
import { durationUnit, formatChange, formatValue, type Trend } from './format.ts';
import type { DeliveryView } from './weekly-metrics-view.ts';

/** Which of DORA's keys each headline is judged on; the others have no level. */
const levelOf: Partial<
  Record<(typeof deliveryHeadlines)[number]['key'], Exclude<keyof DoraLevels, 'source'>>
> = {
  deployments: 'deploymentFrequency',
  leadTimeMedian: 'leadTime',
  changeFailureRate: 'changeFailureRate',
  timeToRestoreMedian: 'timeToRestore',
};

export interface DeliveryRow {
  label: string;
  value: string;
  change: { text: string; trend: Trend };
  fourWeekAverage: string;
  /** The DORA level, `—` when the week has no figure to judge, empty for a headline DORA does not level. */
  level: string;
}

/** The delivery headlines as the digest and the dashboard both write them. */
export function deliveryRows(delivery: DeliveryView, clock: CountTime): DeliveryRow[] {
  return deliveryHeadlines.map((headline) => {
    const change = delivery.headlines[headline.key];
    const level = levelOf[headline.key];
    const shown = { ...headline, unit: durationUnit(clock, headline.unit) };
    return {
      label: headline.label,
      value: formatValue(change.value, shown.unit),
      change: formatChange(change, shown),
      fourWeekAverage: formatValue(change.fourWeekAverage, shown.unit),
      level: level ? (delivery.levels[level] ?? '—') : '',
    };
  });
}

/** What the delivery figures count, in words: the dashboard and the digest say it alike. */
export function whatCounts(rules: DeliveryRules): string {
  const environments =
    rules.source === 'deployments'
      ? ` (environments matching ${patternInWords(rules.productionPattern)})`
      : '';
  return `A deployment is ${deploymentSourceWords[rules.source]}${environments}; an incident is an issue with a label matching ${patternInWords(rules.incidentRules.labelPattern)}.`;
}
