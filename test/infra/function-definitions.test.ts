import { readdirSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { defineFlowmeterApp } from '#infra/define-app.ts';
import { functionDefinitions } from '#infra/functions.ts';
import { parseEnv } from '#shared/config.ts';
import { deployedEnvironments } from '../support/deployed-environment.ts';

describe('function definitions', () => {
  const stack = defineFlowmeterApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
  const deployed = deployedEnvironments(stack, Template.fromStack(stack).toJSON());

  it('describe every function folder once, and the stack deploys each once', () => {
    const folders = readdirSync('functions').sort();

    expect(functionDefinitions.map((definition) => definition.name).sort()).toEqual(folders);
    expect(deployed.map(({ fn }) => fn.definition.name).sort()).toEqual(folders);
    expect(new Set(deployed.map(({ fn }) => fn.definition)).size).toBe(folders.length);
  });

  it('give each deployed function the environment its own config schema parses', () => {
    for (const { fn, environment } of deployed) {
      expect(() => parseEnv(fn.definition.config, environment), fn.definition.name).not.toThrow();
    }
  });

  it('set no variable a function does not read, beyond Lambda and Powertools ones', () => {
    for (const { fn, environment } of deployed) {
      const read = Object.keys(fn.definition.config.shape);
      const unread = Object.keys(environment).filter(
        (name) => !read.includes(name) && !/^(AWS_|NODE_OPTIONS$|POWERTOOLS_)/.test(name),
      );
      expect(unread, fn.definition.name).toEqual([]);
    }
  });
});
