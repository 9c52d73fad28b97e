import { escapeHtml } from '../../views/format.ts';

/**
 * Server-drawn SVG charts: no script, no request of their own, a few
 * hundred bytes a week. Each is an image with a title for screen readers,
 * beside a table of the same numbers.
 */
export interface Series {
  label: string;
  colour: string;
  values: readonly (number | null)[];
}

const width = 640;
const height = 200;
const left = 40;
const bottom = 24;

/** A level a chart's bars are held against: a working agreement's target, in the chart's unit. */
export interface TargetLine {
  value: number;
  /** What it is, in words: named in the chart's text alternative and caption. */
  label: string;
}

/**
 * Bars per week, stacked when there are several series (a week's phases add
 * up to its cycle), with `target` drawn across as a dashed line.
 */
export function barChart(
  title: string,
  weeks: readonly string[],
  series: readonly Series[],
  unit: string,
  target?: TargetLine,
): string {
  const totals = weeks.map((_, index) =>
    series.reduce((sum, s) => sum + (s.values[index] ?? 0), 0),
  );
  const top = Math.max(1, ...totals, target?.value ?? 0);
  const slot = (width - left) / Math.max(1, weeks.length);
  const scale = (value: number) => (value / top) * (height - bottom - 10);
  const bars = weeks
    .map((week, index) => {
      let y = height - bottom;
      const parts = series.map((s) => {
        const value = s.values[index] ?? null;
        const h = scale(value ?? 0);
        y -= h;
        // A week without a figure (no data, or none the reader may see) says so, not 0.
        const shown = value === null ? '—' : `${value}${unit}`;
        return `<rect x="${(left + index * slot + slot * 0.15).toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.colour}"><title>${escapeHtml(`${week} ${s.label}: ${shown}`)}</title></rect>`;
      });
      const label =
        index % Math.ceil(weeks.length / 6) === 0
          ? `<text x="${(left + index * slot + slot / 2).toFixed(1)}" y="${height - 6}" font-size="11" text-anchor="middle" fill="#4b5563">${escapeHtml(week.slice(5))}</text>`
          : '';
      return parts.join('') + label;
    })
    .join('');
  const axis = `<text x="4" y="14" font-size="11" fill="#4b5563">${escapeHtml(`${round(top)}${unit}`)}</text><line x1="${left}" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" stroke="#9ca3af"/>`;
  const legend =
    series.length > 1
      ? `<p class="muted">${series.map((s) => `<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="${s.colour}"/></svg> ${escapeHtml(s.label)}`).join(' · ')}</p>`
      : '';
  const line = target
    ? `<line x1="${left}" y1="${(height - bottom - scale(target.value)).toFixed(1)}" x2="${width}" y2="${(height - bottom - scale(target.value)).toFixed(1)}" stroke="#111827" stroke-width="2" stroke-dasharray="6 4"/>`
    : '';
  const named = target
    ? `${title}; dashed line: ${target.label} (${round(target.value)}${unit})`
    : title;
  const id = `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return `<figure class="chart"><svg class="plot" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}"><title id="${id}">${escapeHtml(named)}</title>${axis}${bars}${line}</svg><figcaption>${escapeHtml(named)}</figcaption>${legend}</figure>`;
}

const round = (value: number) => Math.round(value * 10) / 10;
