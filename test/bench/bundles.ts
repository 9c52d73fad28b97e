import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { lambdaBuildOptions } from '#infra/lambda-bundling.ts';
import {
  functionBudgetBytes,
  type LambdaBundle,
  synthesizeBundles,
  webhookBudgetBytes,
} from '../support/lambda-bundles.ts';
import { type Figure, report } from './report.ts';

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

/**
 * What the webhook cannot shed: the three SDK clients it calls, Powertools'
 * Logger and middy, bundled as the stack bundles (minified ESM, the same
 * credentials alias) with nothing of Flowmeter's. Its budget less this is
 * what signature checks, payload validation and the store have left.
 */
function webhookFloorBytes(): number {
  const contents = `import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
export const clients = [DynamoDBDocumentClient.from(new DynamoDBClient()), new SQSClient(), new SecretsManagerClient()];
export const commands = [PutCommand, SendMessageBatchCommand, GetSecretValueCommand];
export const handler = middy(async () => {}).use(injectLambdaContext(new Logger()));`;
  const { outputFiles } = buildSync({
    stdin: { contents, loader: 'js', resolveDir: fileURLToPath(new URL('../..', import.meta.url)) },
    absWorkingDir: fileURLToPath(new URL('../..', import.meta.url)),
    ...lambdaBuildOptions,
    mainFields: [...lambdaBuildOptions.mainFields],
    write: false,
  });
  return outputFiles[0]?.contents.byteLength ?? 0;
}

/** Sizes in the budgets' unit (1 KB = 1,000 bytes). */
const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
const figures: Figure[] = [];
for (const bundle of synthesizeBundles().sort((a, b) =>
  a.functionDir.localeCompare(b.functionDir),
)) {
  const gzipped = gzipSync(readFileSync(bundle.path)).length;
  const budget = bundle.functionDir === 'webhook' ? webhookBudgetBytes : functionBudgetBytes;
  figures.push({
    name: `${bundle.functionDir}: bundle minified, gzipped; module initialisation`,
    measured: `${kb(bundle.bytes)}, ${kb(gzipped)}; ${initMs(bundle).toFixed(0)} ms`,
    target: `under ${budget >= 1e6 ? `${budget / 1e6} MB` : kb(budget)} minified`,
    met: bundle.bytes < budget,
  });
}
figures.push({
  name: "webhook's floor: its SDK clients, Logger and middy alone, bundled the same way",
  measured: kb(webhookFloorBytes()),
});
report(
  import.meta.url,
  'Lambda bundles as cdk deploy uploads them (esbuild, minified ESM)',
  figures,
);
