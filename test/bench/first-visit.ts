import { basename } from 'node:path';
import type { Figure } from './report.ts';

/** What a first visit of a dashboard page fetches: the page, then each asset it links. */
export interface FirstVisit {
  page: string;
  assets: { path: string; text: string }[];
}

/** Fetches a page, failing unless it rendered (`marker` in it), and the style sheets and scripts it links. */
export async function firstVisit(
  get: (path: string) => Promise<Response>,
  path: string,
  marker: string,
): Promise<FirstVisit> {
  const response = await get(path);
  const page = await response.text();
  if (response.status !== 200 || !page.includes(marker))
    throw new Error(`${path} did not render (${response.status})`);
  const linked = new Set([...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map(([, p]) => p));
  const assets = await Promise.all(
    [...linked].map(async (asset = '') => ({ path: asset, text: await (await get(asset)).text() })),
  );
  return { page, assets };
}

/** The bytes a first visit transfers, uncompressed, against the dashboard's budget. */
export function bytesFigure(name: string, { page, assets }: FirstVisit): Figure {
  const bytes = (text: string) => Buffer.byteLength(text);
  const kib = (text: string) => `${(bytes(text) / 1024).toFixed(1)} KiB`;
  const total = [page, ...assets.map((asset) => asset.text)].reduce((sum, t) => sum + bytes(t), 0);
  const charts = page.match(/<figure class="chart">/g)?.length ?? 0;
  const linked = assets.map((asset) => `${basename(asset.path)} ${kib(asset.text)}`);
  return {
    name,
    measured: `${(total / 1024).toFixed(1)} KiB: page ${kib(page)} (${charts} SVG charts inline), ${linked.join(', ')}`,
    target: 'under 200 KB',
    met: total < 200_000,
  };
}
