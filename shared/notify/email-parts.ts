import { escapeHtml } from '../views/format.ts';

/**
 * Building blocks of Flowmeter's emails, each in HTML and plain text. The
 * HTML is tables with inline styles only: what Outlook, Gmail and Apple Mail
 * all render the same (no CSS classes, no images, no scripts).
 */
export interface Email {
  subject: string;
  text: string;
  html: string;
}

export interface Column {
  title: string;
  align?: 'left' | 'right';
}

/** The inline font declaration of everything Flowmeter renders as HTML: emails and the unsubscribe pages. */
export const font = 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif';
const cell = 'padding:4px 8px;border-bottom:1px solid #e5e7eb';

/** A table of already escaped cell HTML. */
export function htmlTable(columns: readonly Column[], rows: readonly string[][]): string {
  const align = (column: Column | undefined) => `text-align:${column?.align ?? 'left'}`;
  const head = columns
    .map(
      (c) =>
        `<th style="${cell};${align(c)};color:#6b7280;font-weight:600">${escapeHtml(c.title)}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((html, i) => `<td style="${cell};${align(columns[i])}">${html}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;${font};font-size:14px"><tr>${head}</tr>${body}</table>`;
}

/** A section of the digest, in both forms. */
export interface DigestSection {
  heading: string;
  text: string;
  html: string;
}

/** A section that is a table and lines of text under it. */
export function tableSection(
  heading: string,
  columns: readonly Column[],
  rows: readonly string[][],
  lines: readonly string[],
): DigestSection {
  return {
    heading,
    text: [textTable(columns, rows), ...lines.map((line) => `  ${line}`)].join('\n'),
    html: [
      htmlTable(
        columns,
        rows.map((row) => row.map(escapeHtml)),
      ),
      ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ].join(''),
  };
}

/** The same table as padded plain-text columns. */
export function textTable(columns: readonly Column[], rows: readonly string[][]): string {
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((text, i) =>
        columns[i]?.align === 'right' ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

export interface Bar {
  label: string;
  value: number;
  /** What is written beside the bar. */
  shown: string;
}

const barWidthPx = 240;
const barWidthChars = 30;

/** Horizontal bars as table cells with a background: no images, so nothing is blocked. */
export function htmlBars(bars: readonly Bar[], colour = '#4f46e5'): string {
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const rows = bars
    .map((bar) => {
      const width = max === 0 ? 0 : Math.max(1, Math.round((bar.value / max) * barWidthPx));
      const fill =
        width === 0
          ? ''
          : `<table role="presentation" cellpadding="0" cellspacing="0"><tr><td width="${width}" style="width:${width}px;height:14px;background:${colour};font-size:0;line-height:0">&nbsp;</td></tr></table>`;
      return `<tr><td style="padding:2px 8px 2px 0;white-space:nowrap">${escapeHtml(bar.label)}</td><td style="padding:2px 0;width:${barWidthPx}px">${fill}</td><td style="padding:2px 0 2px 8px;text-align:right;white-space:nowrap">${escapeHtml(bar.shown)}</td></tr>`;
    })
    .join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="${font};font-size:14px">${rows}</table>`;
}

export function textBars(bars: readonly Bar[]): string {
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const labelWidth = Math.max(0, ...bars.map((bar) => bar.label.length));
  return bars
    .map((bar) => {
      const length = max === 0 ? 0 : Math.max(1, Math.round((bar.value / max) * barWidthChars));
      return `  ${bar.label.padEnd(labelWidth)}  ${'█'.repeat(bar.value > 0 ? length : 0).padEnd(barWidthChars)}  ${bar.shown}`;
    })
    .join('\n');
}

/** A whole HTML email: a heading, sections of HTML, and the unsubscribe footer. */
export function htmlDocument(parts: {
  title: string;
  intro: string;
  sections: readonly { heading: string; html: string }[];
  unsubscribeUrl: string;
}): string {
  const sections = parts.sections
    .map(
      (section) =>
        `<h2 style="${font};font-size:16px;margin:28px 0 8px">${escapeHtml(section.heading)}</h2>${section.html}`,
    )
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(parts.title)}</title></head><body style="margin:0;padding:24px;background:#ffffff;color:#111827;${font}"><h1 style="font-size:20px;margin:0 0 8px">${escapeHtml(parts.title)}</h1><p style="margin:0;color:#374151">${parts.intro}</p>${sections}<p style="margin-top:32px;font-size:12px;color:#6b7280">Sent by Flowmeter. <a href="${escapeHtml(parts.unsubscribeUrl)}" style="color:#6b7280">Unsubscribe</a> from these emails.</p></body></html>`;
}

/** The same email as plain text. */
export function textDocument(parts: {
  title: string;
  intro: string;
  sections: readonly { heading: string; text: string }[];
  unsubscribeUrl: string;
}): string {
  return [
    parts.title,
    '',
    parts.intro,
    ...parts.sections.flatMap((section) => ['', section.heading, section.text]),
    '',
    '--',
    `Sent by Flowmeter. Unsubscribe: ${parts.unsubscribeUrl}`,
    '',
  ].join('\n');
}
