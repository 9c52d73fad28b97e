import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readDeployConfig } from './deploy-config.ts';
import { FlowmeterStack } from './stack.ts';

/**
 * Adds Flowmeter's stack to an app, configured from CDK context
 * (`flowmeter:*`, defaults in `infra/deploy-config.ts`), with cdk-nag's
 * AwsSolutions and Serverless packs: synth fails on any finding that is not
 * acknowledged, with a reason, in code.
 */
export function defineFlowmeterApp(app: App): FlowmeterStack {
  const config = readDeployConfig((key) => app.node.tryGetContext(key));
  const stack = new FlowmeterStack(
    app,
    config.stage === 'prod' ? 'Flowmeter' : `Flowmeter-${config.stage}`,
    {
      description: `Flowmeter (${config.stage}): GitHub App backend measuring pull request flow`,
      // Account and region come from the deploying credentials; synth needs neither.
      env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
      config,
    },
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return stack;
}
