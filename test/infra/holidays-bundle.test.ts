import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '#infra/lambda-bundling.ts';

/**
 * The holidays function's bundle answers moment-timezone from Intl
 * (infra/moment-timezone-intl.ts). Proof that this changes no date: one
 * small program resolving every country, state and region `date-holidays`
 * knows, for every year stored (2008 to ten years ahead), bundled as the
 * functions are — once with the Lambda aliases, once with the packages as
 * published — and run in a fresh Node each; the two must print the same.
 */
const program = `import regions from './shared/working-time/holiday-regions.json' with { type: 'json' };
import { resolveRegion } from './shared/working-time/public-holidays.ts';
const resolved = {};
for (const [country, { states = {} }] of Object.entries(regions)) {
  resolved[country] = resolveRegion({ country }).dates;
  for (const [state, { regions: within = {} }] of Object.entries(states)) {
    resolved[country + '-' + state] = resolveRegion({ country, state }).dates;
    for (const region of Object.keys(within))
      resolved[country + '-' + state + '-' + region] = resolveRegion({ country, state, region }).dates;
  }
}
process.stdout.write(JSON.stringify(resolved));`;

const directory = mkdtempSync(join(tmpdir(), 'flowmeter-holidays-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function bundled(name: string, alias: Record<string, string>) {
  const outfile = join(directory, `${name}.mjs`);
  const { metafile } = buildSync({
    stdin: { contents: program, loader: 'ts', resolveDir: process.cwd() },
    absWorkingDir: process.cwd(),
    ...lambdaBuildOptions,
    mainFields: [...lambdaBuildOptions.mainFields],
    alias,
    outfile,
    metafile: true,
  });
  return { outfile, inputs: Object.keys(metafile.inputs) };
}

function run(file: string): Promise<Record<string, string[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
        : reject(new Error(`${file} exited ${code}`)),
    );
  });
}

describe("the holidays function's bundle", () => {
  it('resolves every region to the same dates as date-holidays with moment-timezone', async () => {
    const aliased = bundled('aliased', lambdaBuildOptions.alias);
    const published = bundled('published', {});
    // The alias took effect: neither moment nor its zone data is in the aliased program.
    expect(aliased.inputs.filter((input) => /node_modules\/moment/.test(input))).toEqual([]);
    expect(published.inputs.some((input) => input.includes('moment-timezone'))).toBe(true);

    const [withIntl, withMoment] = await Promise.all([
      run(aliased.outfile),
      run(published.outfile),
    ]);
    expect(Object.keys(withMoment)).toHaveLength(628);
    // Not vacuous: Bavaria has Epiphany, and some region of the world a holiday in ten years.
    expect(withMoment['DE-BY']).toContain('2026-01-06');
    const last = new Date().getUTCFullYear() + 10;
    expect(Object.values(withMoment).some((dates) => dates.at(-1)?.startsWith(String(last)))).toBe(
      true,
    );
    expect(withIntl).toEqual(withMoment);
  }, 600_000);
});
