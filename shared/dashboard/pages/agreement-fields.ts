import type { AgreementName, WorkingAgreements } from '../../metrics/agreements.ts';
import { escapeHtml } from '../../views/format.ts';

/** The agreement fields as typed: what a refused post shows again (numbers as text, empty: not set). */
export type AgreementForm = Record<Exclude<AgreementName, 'noMergeWithoutReview'>, string> & {
  noMergeWithoutReview: boolean;
};

export function agreementForm(agreements: WorkingAgreements): AgreementForm {
  const text = (value: number | undefined) => (value === undefined ? '' : String(value));
  return {
    firstReviewWithinHours: text(agreements.firstReviewWithinHours),
    maxChangedLines: text(agreements.maxChangedLines),
    noMergeWithoutReview: agreements.noMergeWithoutReview === true,
    cycleTimeWithinDays: text(agreements.cycleTimeWithinDays),
  };
}

const numberFields = [
  [
    'firstReviewWithinHours',
    'First review within (hours; working hours where time counts in them)',
    1,
    720,
  ],
  ['maxChangedLines', 'PR size at most (changed lines)', 1, 100_000],
  ['cycleTimeWithinDays', 'Cycle time under (days)', 1, 365],
] as const;

/**
 * The working agreements' fields, each optional (empty: not set). On a
 * team's page `inherited` are the organisation's, named beside each field
 * a team leaves empty to follow them.
 */
export function agreementFields(typed: AgreementForm, inherited?: WorkingAgreements): string {
  const follows = (name: AgreementName) => {
    const value = inherited?.[name];
    return value === undefined || value === false
      ? ''
      : ` (empty: the organisation's, ${value === true ? 'on' : value})`;
  };
  const numbers = numberFields
    .map(
      ([name, label, min, max]) =>
        `<label for="${name}">${escapeHtml(label)}${follows(name)}</label>
<input type="number" id="${name}" name="${name}" min="${min}" max="${max}" value="${escapeHtml(typed[name])}">`,
    )
    .join('\n');
  return `<fieldset>
<legend>Working agreements</legend>
<p class="muted">Targets ${inherited ? 'the team sets for itself' : 'set for all the installation’s work (a GitHub team may set its own)'}, each optional (empty: not set). The digest and the dashboard show the share of each week's merged PRs that met each.</p>
${numbers}
<label><input type="checkbox" name="noMergeWithoutReview"${typed.noMergeWithoutReview ? ' checked' : ''}> No merge without a peer review${follows('noMergeWithoutReview')}</label>
</fieldset>`;
}
