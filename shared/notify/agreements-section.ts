import type { AgreementWeek } from '../metrics/agreement-shares.ts';
import { agreementRows, agreementsNote } from '../views/agreement-rows.ts';
import { type Column, type DigestSection, tableSection } from './email-parts.ts';

const columns: Column[] = [
  { title: 'Agreement' },
  { title: 'Met this week', align: 'right' },
  { title: 'vs last week', align: 'right' },
  { title: '4-week avg', align: 'right' },
];

/**
 * The digest's "Working agreements" section: each agreement the
 * organisation (a team's digest: the team) set, with its target, and the
 * share of the week's merged PRs that met it against last week and the
 * four-week average. Left out when none is set.
 */
export function agreementsSection(agreements: readonly AgreementWeek[]): DigestSection | null {
  if (agreements.length === 0) return null;
  const rows = agreementRows(agreements).map((row) => [
    row.label,
    row.value,
    row.change.text,
    row.fourWeekAverage,
  ]);
  return tableSection('Working agreements', columns, rows, [agreementsNote]);
}
