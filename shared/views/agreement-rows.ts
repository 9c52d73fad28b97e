import type { AgreementWeek } from '../metrics/agreement-shares.ts';
import { agreementInWords } from './agreement-words.ts';
import { formatChange, formatValue, type Trend } from './format.ts';

export interface AgreementRow {
  /** The agreement in words, with its target. */
  label: string;
  /** The share met, with how many of how many: `75% (3 of 4)`; `—` with none to judge. */
  value: string;
  change: { text: string; trend: Trend };
  fourWeekAverage: string;
}

const shareHeadline = { unit: '%', betterWhen: 'higher' } as const;

/** A week's agreements as the digest and the dashboard both write them. */
export function agreementRows(agreements: readonly AgreementWeek[]): AgreementRow[] {
  return agreements.map(({ name, target, met, of, share }) => ({
    label: agreementInWords(name, { [name]: target }) ?? name,
    value: of === 0 ? '—' : `${formatValue(share.value, '%')} (${met} of ${of})`,
    change: formatChange(share, shareHeadline),
    fourWeekAverage: formatValue(share.fourWeekAverage, '%'),
  }));
}

/** What the shares count, said under each agreements table. */
export const agreementsNote =
  "Share of the week's merged pull requests (bots' left out) that met each agreement, of those it can judge (a PR of unknown size is not judged on size).";
