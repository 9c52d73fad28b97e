import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnResource } from 'aws-cdk-lib';
import { defineFlowmeterApp } from '#infra/define-app.ts';
import { deployedEnvironments } from './deployed-environment.ts';

/** Issue #6's budgets, minified: a megabyte for every function, 300 KB for the webhook (its cold start is GitHub's wait). */
export const functionBudgetBytes = 1_000_000;
export const webhookBudgetBytes = 300_000;

export interface LambdaBundle {
  /** The function's folder under `functions/`. */
  functionDir: string;
  /** The `index.mjs` `cdk deploy` uploads. */
  path: string;
  bytes: number;
  /** Its environment as deployed (made-up resource names). */
  environment: Record<string, string>;
}

/**
 * Synthesizes the stack as `cdk deploy` does, esbuild bundling on, and
 * returns each function's bundle: the artifacts, not the sources.
 */
export function synthesizeBundles(): LambdaBundle[] {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'flowmeter-cdk-')) });
  const stack = defineFlowmeterApp(app);
  const assembly = app.synth();
  const template = JSON.parse(
    readFileSync(join(assembly.directory, stack.templateFile), 'utf8'),
  ) as { Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }> };
  return deployedEnvironments(stack, template).map(({ fn, environment }) => {
    const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnResource);
    const hash = template.Resources[logicalId]?.Properties.Code?.S3Key?.replace('.zip', '');
    const path = join(assembly.directory, `asset.${hash}`, 'index.mjs');
    return { functionDir: fn.definition.name, path, bytes: statSync(path).size, environment };
  });
}
