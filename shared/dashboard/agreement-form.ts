import type { WorkingAgreements } from '../metrics/agreements.ts';
import { agreementsSchema } from '../store/agreements.ts';
import { agreementNames } from '../views/agreement-words.ts';
import type { AgreementForm } from './pages/agreement-fields.ts';

/** The agreement fields of a posted form, as typed. */
export function typedAgreementForm(form: URLSearchParams): AgreementForm {
  const field = (name: string) => (form.get(name) ?? '').trim();
  return {
    firstReviewWithinHours: field('firstReviewWithinHours'),
    maxChangedLines: field('maxChangedLines'),
    noMergeWithoutReview: form.get('noMergeWithoutReview') === 'on',
    cycleTimeWithinDays: field('cycleTimeWithinDays'),
  };
}

/** The agreements a posted form asks for, checked as `npm run settings` checks them. */
export function formAgreements(typed: AgreementForm) {
  const count = (text: string) => (text === '' ? undefined : Number(text));
  const given = {
    firstReviewWithinHours: count(typed.firstReviewWithinHours),
    maxChangedLines: count(typed.maxChangedLines),
    noMergeWithoutReview: typed.noMergeWithoutReview || undefined,
    cycleTimeWithinDays: count(typed.cycleTimeWithinDays),
  };
  // An empty field is no agreement: no key at all, as DynamoDB stores no undefined.
  return agreementsSchema.safeParse(
    Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)),
  );
}

/** Whether two sets of agreements differ: a save that changed none recomputes no week. */
export const agreementsDiffer = (a: WorkingAgreements, b: WorkingAgreements) =>
  agreementNames.some((name) => a[name] !== b[name]);
