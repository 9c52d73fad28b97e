import type { CfnResource, Stack } from 'aws-cdk-lib';
import { FlowmeterFunction } from '#infra/constructs/flowmeter-function.ts';

type Resource = { Type: string; Properties?: { Environment?: { Variables?: object } } };

const region = 'us-east-1';
const account = '000000000000';
const pseudo: Record<string, string> = {
  'AWS::Region': region,
  'AWS::AccountId': account,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * What a CloudFormation value becomes once deployed, with made-up names: a
 * queue's Ref is its URL, a secret's its ARN, a table's its name. Values the
 * resolver does not know throw, so a new kind of binding is noticed.
 */
function resolve(value: unknown, resources: Record<string, Resource>): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if ('Ref' in intrinsic) {
    const id = intrinsic.Ref as string;
    if (pseudo[id]) return pseudo[id];
    const type = resources[id]?.Type;
    if (type === 'AWS::SQS::Queue') return `https://sqs.${region}.amazonaws.com/${account}/${id}`;
    if (type === 'AWS::SecretsManager::Secret')
      return `arn:aws:secretsmanager:${region}:${account}:secret:${id}`;
    if (type === 'AWS::DynamoDB::GlobalTable' || type === 'AWS::SES::ConfigurationSet') return id;
    if (type === 'AWS::ApiGatewayV2::Api') return id.toLowerCase().slice(0, 10);
    throw new Error(`no deployed value for a Ref to ${id} (${type})`);
  }
  if ('Fn::GetAtt' in intrinsic) {
    const [id, attribute] = intrinsic['Fn::GetAtt'] as [string, string];
    if (attribute === 'QueueUrl') return resolve({ Ref: id }, resources);
    if (attribute === 'Arn') return `arn:aws:${id}`;
    if (attribute === 'ApiEndpoint')
      return `https://${id.toLowerCase().slice(0, 10)}.execute-api.${region}.amazonaws.com`;
    throw new Error(`no deployed value for ${id}.${attribute}`);
  }
  if ('Fn::Join' in intrinsic) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(part, resources)).join(separator);
  }
  throw new Error(`no deployed value for ${JSON.stringify(value)}`);
}

/** Each function of a synthesized stack with its environment as Lambda would hand it over. */
export function deployedEnvironments(
  stack: Stack,
  template: { Resources?: unknown },
): { fn: FlowmeterFunction; environment: Record<string, string> }[] {
  return stack.node
    .findAll()
    .filter((node): node is FlowmeterFunction => node instanceof FlowmeterFunction)
    .map((fn) => {
      const id = stack.getLogicalId(fn.node.defaultChild as CfnResource);
      const resources = template.Resources as Record<string, Resource>;
      const variables = resources[id]?.Properties?.Environment?.Variables ?? {};
      const environment = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, resolve(value, resources)]),
      );
      return { fn, environment: { AWS_REGION: region, ...environment } };
    });
}
