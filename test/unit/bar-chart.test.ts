import { describe, expect, it } from 'vitest';
import { barChart } from '#shared/dashboard/pages/charts.ts';

const weeks = ['2026-W45', '2026-W46'];
const series = [{ label: 'cycle', colour: '#0891b2', values: [12, 24] }];

describe('barChart', () => {
  it('draws no target line unless given one', () => {
    const chart = barChart('Cycle time', weeks, series, ' h');
    expect(chart).not.toContain('stroke-dasharray');
    expect(chart).toContain('<figcaption>Cycle time</figcaption>');
  });

  it('draws a target as a dashed line, named in its text alternative and caption, the scale reaching it', () => {
    const chart = barChart('Cycle time', weeks, series, ' h', {
      value: 48,
      label: 'target, cycle time under 2 days',
    });
    const named = 'Cycle time; dashed line: target, cycle time under 2 days (48 h)';
    expect(chart).toContain(`<title id="chart-cycle-time">${named}</title>`);
    expect(chart).toContain(`<figcaption>${named}</figcaption>`);
    // The top of the scale is the target's 48 h, 166 px above the axis (200 − 24 − 10): the line at y 10.
    expect(chart).toContain('>48 h</text>');
    expect(chart).toMatch(/<line x1="40" y1="10\.0" x2="640" y2="10\.0"[^>]*stroke-dasharray/);
  });
});
