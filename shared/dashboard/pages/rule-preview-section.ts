import type { RuleCounts, RulePreview } from '../../rollup/rule-preview.ts';
import { whatCounts } from '../../views/delivery-rows.ts';
import { escapeHtml } from '../../views/format.ts';
import { table } from './layout.ts';

/** The preview's figures, each a row: what it counts, in words. */
const figures: { key: keyof RuleCounts; label: string }[] = [
  { key: 'deployments', label: 'Production deployments (successful)' },
  { key: 'ended', label: 'Production deployments that ended (successful or failed)' },
  { key: 'failed', label: 'Failed deployments (change failures)' },
  { key: 'failedByIncident', label: 'Deployments an incident failed' },
  { key: 'incidents', label: 'Incidents opened (issues with a matching label)' },
  { key: 'releases', label: 'Releases counted as deployments' },
];

const count = (rules: 'now' | 'proposed', key: keyof RuleCounts, value: number) =>
  `<span data-preview="${rules}.${key}">${value}</span>`;

const yesNo = (counts: boolean) => (counts ? 'yes' : 'no');

/**
 * Above the settings form after "Preview": what the delivery figures of the
 * last finished weeks are and would be with the rules typed, and the
 * environments GitHub deployments went to, which each rule set counts.
 * Its first sentence is a status, read out when the page arrives.
 */
export function rulePreviewSection(preview: RulePreview): string {
  const span = `${preview.weeks[0]} to ${preview.weeks.at(-1)}`;
  const { now, proposed } = preview;
  const caption = `Delivery figures over ${span}, now and with these rules`;
  const rows = figures.map(({ key, label }) => [
    escapeHtml(label),
    count('now', key, now[key]),
    count('proposed', key, proposed[key]),
  ]);
  const environments =
    preview.environments.length === 0
      ? '<p>No GitHub deployment was made in these weeks.</p>'
      : table(
          [
            { title: 'Environment' },
            { title: 'Deployments', number: true },
            { title: 'Production now' },
            { title: 'Production with these rules' },
          ],
          preview.environments.map((environment) => [
            escapeHtml(environment.name),
            String(environment.deployments),
            yesNo(environment.countsNow),
            yesNo(environment.countsProposed),
          ]),
          `Environments GitHub deployments went to in ${span}`,
        );
  return `<section aria-labelledby="rule-preview" data-rule-preview>
<h2 id="rule-preview">Preview of the delivery rules, ${escapeHtml(span)}</h2>
<p role="status">With these rules ${proposed.deployments} production deployments and ${proposed.failed} failures would count over the last ${preview.weeks.length} finished weeks; ${now.deployments} and ${now.failed} count now. Nothing is saved until you press Save.</p>
<p class="muted">Now: ${escapeHtml(whatCounts(preview.rules.now))}<br>With these rules: ${escapeHtml(whatCounts(preview.rules.proposed))}</p>
${table(
  [
    { title: 'What counts' },
    { title: 'Now', number: true },
    { title: 'With these rules', number: true },
  ],
  rows,
  caption,
)}
${environments}
<p class="muted">Counted as the hourly rollup counts them, from what Flowmeter has stored. Incidents are the issues stored as incidents: those whose labels matched the labels in force when GitHub last told of them; an issue only wider labels match counts once it next changes on GitHub.</p>
</section>`;
}
