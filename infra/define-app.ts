import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FlowmeterStack } from './stack.ts';

/**
 * Adds Flowmeter's stack to an app, with cdk-nag's AwsSolutions pack: synth
 * fails on any finding that is not acknowledged, with a reason, in code.
 */
export function defineFlowmeterApp(app: App): FlowmeterStack {
  const stack = new FlowmeterStack(app, 'Flowmeter', {
    description: 'Flowmeter: GitHub App backend measuring pull request flow',
    // Account and region come from the deploying credentials; synth needs neither.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    // cdk.json holds the defaults; `cdk deploy -c flowmeter:senderEmail=...` overrides.
    senderEmail: String(app.node.tryGetContext('flowmeter:senderEmail') ?? 'flowmeter@example.com'),
    githubWebUrl: app.node.tryGetContext('flowmeter:githubWebUrl'),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
