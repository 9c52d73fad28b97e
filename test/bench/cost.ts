import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineFlowmeterApp } from '#infra/define-app.ts';
import { readDeployConfig } from '#infra/deploy-config.ts';
import { functionDefinitions } from '#infra/functions.ts';
import type { Usage } from '#infra/local/usage-meter.ts';
import { spreadSeconds } from '#shared/sync/dispatch-reconciliation.ts';
import { monthly, type Phase, runCostScenario } from './cost-scenario.ts';
import { type Figure, report } from './report.ts';

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
// Where the month's units come from: detail for the log, beside the figures reported.
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

const costFigure =
  (per: string) =>
  ([what, quantity, amount]: [string, string, number]): Figure => ({
    name: `${per}: ${what}`,
    measured: `${quantity} = ${dollars(amount)}`,
  });
const meanDurations = functionDefinitions
  .map(({ name }) => {
    const calls = month((usage) => usage.lambda[name]?.invocations ?? 0);
    const milliseconds = month((usage) => usage.lambda[name]?.milliseconds ?? 0);
    return calls ? `${name} ${(milliseconds / calls).toFixed(0)} ms` : '';
  })
  .filter((text) => text !== '')
  .join(', ');

// Capacity, worked out from the run: how many such installations the default sync workers serve.
// Its workers shared this machine's cores, so their summed durations are an upper bound on the
// work, and the installations a lower bound.
const { syncConcurrency } = readDeployConfig(() => undefined);
const syncSeconds = (phase: Phase) =>
  (result.phases[phase].lambda['sync-worker']?.milliseconds ?? 0) / 1000;
const reconciledInWindow = (spreadSeconds * syncConcurrency) / syncSeconds('daily');
const backfillsAnHour = (3600 * syncConcurrency) / syncSeconds('install');

report(
  import.meta.url,
  `Cost: a month of a 50-developer organisation, ${prices.region} prices transcribed ${prices.transcribed}`,
  [
    {
      name: 'the month run and counted',
      measured: `${result.pullRequestsBackfilled.toLocaleString('en')} PRs backfilled over 90 days, ${month((usage, phase) => (phase === 'webhooks' ? (usage.lambda.webhook?.invocations ?? 0) : 0)).toLocaleString('en')} webhook deliveries, 30 reconciliations, 720 hourly rollups, 4 digests`,
    },
    {
      name: 'variable cost per installation-month',
      measured: dollars(variable),
      target: 'under $0.50',
      met: variable < 0.5,
    },
    ...rows.map(costFigure('per installation-month')),
    { name: 'fixed cost per deployment-month, before any installation', measured: dollars(fixed) },
    ...fixedRows.map(costFigure('per deployment-month')),
    {
      name: 'mean duration per invocation (embedded servers in the same process)',
      measured: meanDurations,
    },
    {
      name: `installations whose daily reconciliation fits its ${spreadSeconds / 60}-minute spread on ${syncConcurrency} sync workers (arithmetic on this run)`,
      measured: `at least about ${(Math.floor(reconciledInWindow / 50) * 50).toLocaleString('en')} (${syncSeconds('daily').toFixed(1)} s of sync-worker time each)`,
    },
    {
      name: `first 90-day backfills an hour on ${syncConcurrency} sync workers (arithmetic on this run)`,
      measured: `at least about ${(Math.floor(backfillsAnHour / 50) * 50).toLocaleString('en')} (${syncSeconds('install').toFixed(0)} s of sync-worker time each)`,
    },
  ],
);
