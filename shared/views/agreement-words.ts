import type { AgreementName, WorkingAgreements } from '../metrics/agreements.ts';

/** Every agreement, in the order pages, the digest and `npm run settings` list them. */
export const agreementNames: readonly AgreementName[] = [
  'firstReviewWithinHours',
  'maxChangedLines',
  'noMergeWithoutReview',
  'cycleTimeWithinDays',
];

/** An agreement as a person reads it, with its target. */
export function agreementInWords(
  name: AgreementName,
  agreements: WorkingAgreements,
): string | undefined {
  const target = agreements[name];
  if (target === undefined || target === false) return undefined;
  switch (name) {
    case 'firstReviewWithinHours':
      return `first review within ${target} h`;
    case 'maxChangedLines':
      return `at most ${target} changed lines`;
    case 'noMergeWithoutReview':
      return 'no merge without review';
    default:
      return `cycle time under ${target} days`;
  }
}

/** The agreements set, in words; "none set" when there are none. */
export function agreementsInWords(agreements: WorkingAgreements): string {
  const words = agreementNames.flatMap((name) => agreementInWords(name, agreements) ?? []);
  return words.length > 0 ? words.join('; ') : 'none set';
}
