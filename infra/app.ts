import { App } from 'aws-cdk-lib';
import { defineFlowmeterApp } from './define-app.ts';

/** `cdk synth` / `cdk deploy` entry (see cdk.json). */
const app = new App();
defineFlowmeterApp(app);
app.synth();
