import chromium from '@sparticuz/chromium';

/**
 * vitest's global setup for the browser tests: unpacks Chromium into the
 * temporary directory once, before any test file runs. `executablePath()`
 * takes an existing binary as unpacked, so browser files starting together in
 * parallel workers could launch one still being written (ETXTBSY).
 */
export default async function setup(): Promise<void> {
  await chromium.executablePath();
}
