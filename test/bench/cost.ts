import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineFlowmeterApp } from '#infra/define-app.ts';
import { functionDefinitions } from '#infra/functions.ts';
import type { Usage } from '#infra/local/usage-meter.ts';
import { monthly, type Phase, runCostScenario } from './cost-scenario.ts';

/**
 * Benchmark, part 9: what an installation costs a month, and what one
 * deployment costs before any installation. The month is counted from a run
 * of the local stack (`cost-scenario.ts`), priced at `aws-prices.json`.
 * What the run cannot count is estimated, and each estimate says so.
 */
const prices = JSON.parse(readFileSync(new URL('aws-prices.json', import.meta.url), 'utf8')) as {
  transcribed: string;
  region: string;
  lambda: { perMillionRequests: number; perGbSecondArm64: number };
  dynamodb: Record<
    | 'perMillionWriteRequestUnits'
    | 'perMillionReadRequestUnits'
    | 'perGbMonthStored'
    | 'perGbMonthPointInTimeRecovery',
    number
  >;
  sqs: { perMillionStandardRequests: number };
  ses: { perThousandMessages: number };
  secretsManager: { perSecretMonth: number; perTenThousandCalls: number };
  apiGateway: { perMillionHttpApiRequests: number };
  cloudWatch: Record<
    | 'perGbLogsIngested'
    | 'perGbMonthLogsStored'
    | 'perCustomMetricMonth'
    | 'perStandardAlarmMonth'
    | 'perDashboardMonth',
    number
  >;
  kms: { perCustomerKeyMonth: number };
  xray: { perMillionTracesRecorded: number };
};

/** Estimates, not counts: Lambda's own lines per invocation (JSON START and REPORT with X-Ray), and a cold start's INIT, billed since August 2025, above every init part 7 measured. */
const platformLogBytesPerInvocation = 700;
const coldStartMs = 150;
/** An idle SQS event source mapping: Lambda's five pollers, one 20-second long poll each. */
const idleReceivesPerMappingMonth = 5 * 3 * 60 * 24 * 30;

// Logs at the level deployed (INFO), metrics on: what CloudWatch would receive.
delete process.env.POWERTOOLS_LOG_LEVEL;
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
const result = await runCostScenario();

const month = (pick: (usage: Usage, phase: Phase) => number) =>
  (Object.keys(monthly) as Phase[]).reduce(
    (sum, phase) => sum + pick(result.phases[phase], phase) * monthly[phase],
    0,
  );
const definition = (name: string) => functionDefinitions.find((fn) => fn.name === name);
const invocations = (usage: Usage, only: (name: string) => boolean = () => true) =>
  Object.entries(usage.lambda)
    .filter(([name]) => only(name))
    .reduce((sum, [, counts]) => sum + counts.invocations, 0);
const httpFunction = (name: string) => definition(name)?.trigger.kind === 'http';
/** Deployed, a function reads a secret when its configuration names one. */
const readsSecret = (name: string) =>
  Object.keys((definition(name)?.config as { shape?: object } | undefined)?.shape ?? {}).some(
    (key) => key.endsWith('_SECRET_ARN'),
  );

const requests = month((usage) => invocations(usage));
const gbSeconds = month((usage) =>
  Object.entries(usage.lambda).reduce(
    (sum, [name, counts]) =>
      sum + (counts.milliseconds / 1000) * ((definition(name)?.memoryMb ?? 0) / 1024),
    0,
  ),
);
const coldGbSeconds = month((usage) =>
  Object.entries(usage.lambda).reduce(
    (sum, [name, counts]) =>
      sum + counts.invocations * (coldStartMs / 1000) * ((definition(name)?.memoryMb ?? 0) / 1024),
    0,
  ),
);
const readUnits = month((usage) => usage.dynamodb.readUnits);
const writeUnits = month((usage) => usage.dynamodb.writeUnits + usage.dynamodb.indexWriteUnits);
const sqsRequests = month((usage) => usage.sqs.requests - usage.sqs.emptyReceives);
const emails = month((usage) => usage.ses.messages);
const secretCalls = month((usage) => invocations(usage, readsSecret));
const apiRequests = month((usage) => invocations(usage, httpFunction));
const logGb =
  (month((_, phase) => result.logBytes[phase]) + requests * platformLogBytesPerInvocation) /
  2 ** 30;

const rows: [string, string, number][] = [
  [
    'Lambda requests',
    `${requests.toFixed(0)}`,
    (requests / 1e6) * prices.lambda.perMillionRequests,
  ],
  [
    'Lambda duration (arm64)',
    `${gbSeconds.toFixed(0)} GB-s`,
    gbSeconds * prices.lambda.perGbSecondArm64,
  ],
  [
    'Lambda INIT if every invocation started cold (estimate)',
    `${coldGbSeconds.toFixed(0)} GB-s`,
    coldGbSeconds * prices.lambda.perGbSecondArm64,
  ],
  [
    'DynamoDB reads',
    `${readUnits.toFixed(0)} RRU`,
    (readUnits / 1e6) * prices.dynamodb.perMillionReadRequestUnits,
  ],
  [
    'DynamoDB writes (table + indexes)',
    `${writeUnits.toFixed(0)} WRU`,
    (writeUnits / 1e6) * prices.dynamodb.perMillionWriteRequestUnits,
  ],
  [
    'SQS requests',
    `${sqsRequests.toFixed(0)}`,
    (sqsRequests / 1e6) * prices.sqs.perMillionStandardRequests,
  ],
  ['SES messages', `${emails.toFixed(0)}`, (emails / 1000) * prices.ses.perThousandMessages],
  [
    'Secrets Manager calls (at most one per invocation that reads a secret)',
    `${secretCalls.toFixed(0)}`,
    (secretCalls / 1e4) * prices.secretsManager.perTenThousandCalls,
  ],
  [
    'API Gateway requests (HTTP API)',
    `${apiRequests.toFixed(0)}`,
    (apiRequests / 1e6) * prices.apiGateway.perMillionHttpApiRequests,
  ],
  [
    'CloudWatch Logs ingested and kept a month',
    `${(logGb * 1024).toFixed(1)} MiB`,
    logGb * (prices.cloudWatch.perGbLogsIngested + prices.cloudWatch.perGbMonthLogsStored),
  ],
  [
    'X-Ray traces (at most one per invocation)',
    `${requests.toFixed(0)}`,
    (requests / 1e6) * prices.xray.perMillionTracesRecorded,
  ],
  [
    'DynamoDB storage and point-in-time recovery',
    `${(result.storedBytes / 2 ** 20).toFixed(1)} MiB`,
    (result.storedBytes / 2 ** 30) *
      (prices.dynamodb.perGbMonthStored + prices.dynamodb.perGbMonthPointInTimeRecovery),
  ],
];
const variable = rows.reduce((sum, [, , dollars]) => sum + dollars, 0);

const template = Template.fromStack(
  defineFlowmeterApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } })),
).toJSON() as { Resources: Record<string, { Type: string }> };
const count = (type: string) =>
  Object.values(template.Resources).filter((resource) => resource.Type === type).length;
const fixedRows: [string, string, number][] = [
  [
    'CloudWatch alarms',
    `${count('AWS::CloudWatch::Alarm')}`,
    count('AWS::CloudWatch::Alarm') * prices.cloudWatch.perStandardAlarmMonth,
  ],
  [
    'CloudWatch dashboard',
    `${count('AWS::CloudWatch::Dashboard')}`,
    count('AWS::CloudWatch::Dashboard') * prices.cloudWatch.perDashboardMonth,
  ],
  [
    'custom metrics (dimensioned by function, not installation)',
    `${result.metrics.length}`,
    result.metrics.length * prices.cloudWatch.perCustomMetricMonth,
  ],
  [
    'Secrets Manager secrets',
    `${count('AWS::SecretsManager::Secret')}`,
    count('AWS::SecretsManager::Secret') * prices.secretsManager.perSecretMonth,
  ],
  [
    'KMS keys',
    `${count('AWS::KMS::Key')}`,
    count('AWS::KMS::Key') * prices.kms.perCustomerKeyMonth,
  ],
  [
    'idle SQS polling by the event source mappings (estimate)',
    `${count('AWS::Lambda::EventSourceMapping')} × ${idleReceivesPerMappingMonth} receives`,
    ((count('AWS::Lambda::EventSourceMapping') * idleReceivesPerMappingMonth) / 1e6) *
      prices.sqs.perMillionStandardRequests,
  ],
];
const fixed = fixedRows.reduce((sum, [, , dollars]) => sum + dollars, 0);

const dollars = (amount: number) => `$${amount < 0.01 ? amount.toFixed(4) : amount.toFixed(2)}`;
const table = (lines: [string, string, number][]) =>
  lines
    .map(([what, quantity, amount]) => `| ${what} | ${quantity} | ${dollars(amount)} |`)
    .join('\n');
console.log(
  `\nCost: a month of a 50-developer organisation (${result.pullRequestsBackfilled} PRs backfilled over 90 days, 1,200 new PRs in ${(month((usage, phase) => (phase === 'webhooks' ? (usage.lambda.webhook?.invocations ?? 0) : 0))).toLocaleString('en')} webhook deliveries, 30 reconciliations, 720 hourly rollups, 4 digests), ${prices.region} prices transcribed ${prices.transcribed}`,
);
console.log(`\n| per installation-month | quantity | cost |\n|---|---|---|\n${table(rows)}`);
console.log(
  `| **variable cost per installation-month** | | **${dollars(variable)}** (target under $0.50) |`,
);
console.log(
  `\n| per deployment-month, before any installation | quantity | cost |\n|---|---|---|\n${table(fixedRows)}`,
);
console.log(`| **fixed cost per deployment-month** | | **${dollars(fixed)}** |`);
console.log(
  `\n| phase | × a month | invocations | RRU | WRU (table + indexes) | SQS requests | emails | log bytes |\n|---|---|---|---|---|---|---|---|\n${(
    Object.keys(monthly) as Phase[]
  )
    .map((phase) => {
      const usage = result.phases[phase];
      return `| ${phase} | ${monthly[phase]} | ${invocations(usage)} | ${usage.dynamodb.readUnits.toFixed(0)} | ${usage.dynamodb.writeUnits.toFixed(0)} + ${usage.dynamodb.indexWriteUnits} | ${usage.sqs.requests - usage.sqs.emptyReceives} | ${usage.ses.messages} | ${result.logBytes[phase]} |`;
    })
    .join('\n')}`,
);
const functionRows = functionDefinitions.map(({ name, memoryMb }) => {
  const calls = month((usage) => usage.lambda[name]?.invocations ?? 0);
  const milliseconds = month((usage) => usage.lambda[name]?.milliseconds ?? 0);
  return `| ${name} | ${memoryMb} MB | ${calls.toFixed(0)} | ${calls ? (milliseconds / calls).toFixed(0) : '—'} ms |`;
});
console.log(
  `\n| function | memory | invocations a month | mean duration |\n|---|---|---|---|\n${functionRows.join('\n')}`,
);
