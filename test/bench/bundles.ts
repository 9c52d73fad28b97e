import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  functionBudgetBytes,
  synthesizeBundles,
  webhookBudgetBytes,
} from '../support/lambda-bundles.ts';

/**
 * Benchmark, part 6: each function's bundle as `cdk deploy` uploads it —
 * size minified and gzipped (about what Lambda's zip holds) — and its module
 * initialisation: a fresh Node process importing the bundle (configuration
 * parsed, clients built; no network), median of five.
 */
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  TABLE_NAME: 'flowmeter',
  SYNC_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/sync-jobs',
  NOTIFY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/notifications',
  ROLLUP_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/rollup-jobs',
  WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:webhook',
  GITHUB_APP_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:app',
  NOTIFY_FROM: 'flowmeter@example.com',
  UNSUBSCRIBE_URL: 'https://api.example.com/unsubscribe',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

function initMs(path: string): number {
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
    `${bundle.functionDir.padEnd(18)} ${(bundle.bytes / 1024).toFixed(0).padStart(5)} KiB minified  ${(gzipped / 1024).toFixed(0).padStart(4)} KiB gzipped  init ${initMs(bundle.path).toFixed(0).padStart(4)} ms  ${verdict} ${budget / 1000} KB budget`,
  );
}
