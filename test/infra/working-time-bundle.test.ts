import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Working time is counted inside the functions (the rollup), so what it
 * imports lands in their bundles: none of `date-holidays`, whose 1.49 MB
 * would break the 1 MB budget (shared/working-time/public-holidays.ts says
 * why), nor any other package.
 */
describe('working time in a function bundle', () => {
  it('brings no package with it and stays a few kilobytes', () => {
    const { metafile, outputFiles } = buildSync({
      entryPoints: ['shared/working-time/working-ms.ts'],
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      metafile: true,
      write: false,
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
    expect(outputFiles[0]?.contents.byteLength).toBeLessThan(10_000);
  });
});
