import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  functionBudgetBytes,
  type LambdaBundle,
  synthesizeBundles,
  webhookBudgetBytes,
} from '../support/lambda-bundles.ts';

/**
 * Benchmark, part 7: each function's bundle as `cdk deploy` uploads it —
 * size minified and gzipped (about what Lambda's zip holds) — and its module
 * initialisation: a fresh Node process importing the bundle with the
 * environment the stack gives it (configuration parsed, clients built; no
 * network), median of five. NODE_OPTIONS is left out, as in the figures
 * measured before it was read from the stack.
 */

function initMs({ path, environment }: LambdaBundle): number {
  const { NODE_OPTIONS, ...deployed } = environment;
  const env = { ...process.env, ...deployed, POWERTOOLS_METRICS_DISABLED: 'true' };
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(path).href)}); console.log(performance.now() - t);`;
  const runs = Array.from({ length: 5 }, () => {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`importing ${path} failed: ${result.stderr}`);
    return Number(result.stdout.trim());
  }).sort((a, b) => a - b);
  return runs[2] as number;
}

console.log('\nLambda bundles (esbuild, minified ESM, AWS SDK inside) and module initialisation');
for (const bundle of synthesizeBundles().sort((a, b) =>
  a.functionDir.localeCompare(b.functionDir),
)) {
  const gzipped = gzipSync(readFileSync(bundle.path)).length;
  const budget = bundle.functionDir === 'webhook' ? webhookBudgetBytes : functionBudgetBytes;
  const verdict = bundle.bytes < budget ? 'within' : 'OVER';
  console.log(
    `${bundle.functionDir.padEnd(18)} ${(bundle.bytes / 1024).toFixed(0).padStart(5)} KiB minified  ${(gzipped / 1024).toFixed(0).padStart(4)} KiB gzipped  init ${initMs(bundle).toFixed(0).padStart(4)} ms  ${verdict} ${budget / 1000} KB budget`,
  );
}
