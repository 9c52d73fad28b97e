import type { WorkingAgreements } from '#shared/metrics/agreements.ts';
import { agreementsSchema } from '#shared/store/agreements.ts';
import { agreementInWords, agreementNames } from '#shared/views/agreement-words.ts';
import { givesAny } from './flag-set.ts';

/** `npm run settings`' flags of working agreements, the organisation's or a team's (`--team`). */
export const agreementOptions = {
  'first-review-within-hours': { type: 'string' },
  'max-changed-lines': { type: 'string' },
  'no-merge-without-review': { type: 'string' },
  'cycle-time-within-days': { type: 'string' },
} as const;

export const agreementUsage =
  '[--first-review-within-hours <1-720>|""] [--max-changed-lines <1-100000>|""] [--no-merge-without-review true|false] [--cycle-time-within-days <1-365>|""]';

type AgreementFlags = Partial<Record<keyof typeof agreementOptions, string>>;

/** A flag's value that is not what it takes: nothing is stored. */
export class SettingsFlagError extends Error {}

export const givesAgreements = givesAny(agreementOptions);

/** `true|false` as a boolean; anything else refused by name. */
export function flagBoolean(flag: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new SettingsFlagError(`--${flag} takes true or false, not ${value}`);
}

/** A whole number, or "" for none; anything else refused by name. */
export function flagCount(flag: string, value: string): number | undefined {
  if (value.trim() === '') return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new SettingsFlagError(`--${flag} takes a whole number (or "" for none), not ${value}`);
  return Number(value);
}

/**
 * The agreements after the flags change `current`: "" (or `false` for the
 * review agreement) removes one; the result is validated here, before anything is stored.
 */
export function changedAgreements(
  current: WorkingAgreements,
  flags: AgreementFlags,
): WorkingAgreements {
  const next: WorkingAgreements = { ...current };
  const counts = {
    firstReviewWithinHours: 'first-review-within-hours',
    maxChangedLines: 'max-changed-lines',
    cycleTimeWithinDays: 'cycle-time-within-days',
  } as const;
  for (const [name, flag] of Object.entries(counts) as [keyof typeof counts, string][]) {
    const value = flags[flag as keyof AgreementFlags];
    if (value === undefined) continue;
    const count = flagCount(flag, value);
    if (count === undefined) delete next[name];
    else next[name] = count;
  }
  const review = flags['no-merge-without-review'];
  if (review !== undefined) {
    if (flagBoolean('no-merge-without-review', review)) next.noMergeWithoutReview = true;
    else delete next.noMergeWithoutReview;
  }
  return agreementsSchema.parse(next);
}

/** The line `npm run settings` shows of a scope's agreements: a team's own, and the organisation's it follows where it sets none. */
export function agreementLines(own: WorkingAgreements, organisation?: WorkingAgreements): string {
  const words = agreementNames.flatMap((name) => {
    const mine = agreementInWords(name, own);
    if (mine) return [mine];
    const theirs = organisation && agreementInWords(name, organisation);
    return theirs ? [`${theirs} (the organisation's)`] : [];
  });
  return `  agreements  ${words.length > 0 ? words.join('; ') : '(none set)'}`;
}
