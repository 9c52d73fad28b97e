import type { HeadlineChange } from '../metrics/compare.ts';

/** How a headline number is written: `27.1 h`, `12%`, `63`; an em dash when unknown. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  if (unit === '%') return `${Math.round(value * 100)}%`;
  if (unit === 'h') return `${value.toFixed(1)} h`;
  if (unit === 'wh') return `${value.toFixed(1)} working h`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * The unit of a duration on a clock: `h` (calendar hours) or `wh`
 * (working hours, shown as "working h" beside every figure). A headline's
 * `hours` follows the clock; any other unit stays as it is.
 */
export function durationUnit(clock: 'calendar' | 'working', unit = 'hours'): string {
  if (unit !== 'hours') return unit;
  return clock === 'working' ? 'wh' : 'h';
}

export type Trend = 'better' | 'worse' | 'neutral';

/**
 * The change against the previous week, as an arrow with its signed size
 * (`▲ +5`, `▼ −3.2 h`, `= 0`), and whether that is good news for the team.
 */
export function formatChange(
  change: HeadlineChange,
  headline: { unit: string; betterWhen: 'higher' | 'lower' | 'neither' },
): { text: string; trend: Trend } {
  if (change.change === null) return { text: 'new', trend: 'neutral' };
  const size =
    headline.unit === '%'
      ? `${Math.abs(Math.round(change.change * 100))} pts`
      : formatValue(Math.abs(change.change), headline.unit);
  if (change.change === 0) return { text: `= ${size}`, trend: 'neutral' };
  const up = change.change > 0;
  const trend: Trend =
    headline.betterWhen === 'neither'
      ? 'neutral'
      : up === (headline.betterWhen === 'higher')
        ? 'better'
        : 'worse';
  return { text: `${up ? '▲ +' : '▼ −'}${size}`, trend };
}

/** `24 Nov, 10:28`: an instant on the clock of a zone. */
export const formatDayAndTime = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(iso));

/** `9 – 15 Nov 2026`: the days of a week window on its own calendar. */
export function formatWeekDays(window: { start: Date; end: Date }, timeZone: string): string {
  const days = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  });
  // Intl puts thin spaces around the dash; plain ones read the same in any mail client.
  return days.formatRange(window.start, new Date(window.end.getTime() - 1)).replace(/\u2009/g, ' ');
}

/** A duration in ms as `40 s`, `12 min`, `2 h 05 min` or `3 d 4 h`. */
export function formatDuration(ms: number): string {
  if (ms < 59_500) return `${Math.max(1, Math.round(ms / 1000))} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}
