import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { reconcileFunction } from '#functions/reconcile/function.ts';
import { retentionFunction } from '#functions/retention/function.ts';
import { rollupDispatcherFunction } from '#functions/rollup-dispatcher/function.ts';
import { startStackWithSimulator } from '#infra/local/stack-with-simulator.ts';
import { itemSize, type Usage, UsageMeter } from '#infra/local/usage-meter.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { table } from '#shared/resources.ts';
import { settleMs } from '#shared/rollup/run-rollup.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { settled } from '../support/settled.ts';

/**
 * Issue #16's month of a 50-developer organisation, run through the local
 * stack with every invocation and AWS request counted. Each kind of work is
 * run once (the month's webhooks a tenth of them) and counted as often as a
 * month has it:
 *   install  ×1    installation.created, a 90-day backfill of 10 repositories
 *                  (~4,000 PRs), a year of Copilot reports, the weeks rolled up,
 *                  the first-sync email
 *   webhooks ×10   120 new PRs, each opened, pushed five times, reviewed five or
 *                  six times, merged: 1,500 deliveries (15,000 a month)
 *   daily    ×30   the reconciliation (an incremental sync of every repository,
 *                  the day's Copilot report) and the retention run
 *   hourly   ×720  the rollup dispatcher and the re-roll of the week the hour's
 *                  activity marked (an upper bound: every hour of the month has some)
 *   digest   ×4    the weekly digest: the finished week rolled up and emailed
 * Every email goes to the installation's five team leads.
 */
export const monthly = { install: 1, webhooks: 10, daily: 30, hourly: 720, digest: 4 } as const;
export type Phase = keyof typeof monthly;

const installationId = 5000;
const developers = 50;
const repositories = 10;
const newPullRequests = 120;
const recipients = 5;

export interface ScenarioResult {
  phases: Record<Phase, Usage>;
  /** Bytes the handlers wrote to standard output (CloudWatch Logs' input), per phase. */
  logBytes: Record<Phase, number>;
  /** Distinct CloudWatch metrics (name and dimensions) the functions emitted. */
  metrics: string[];
  pullRequestsBackfilled: number;
  /** The table's size at the end, as DynamoDB bills storage: each item, each index entry, 100 bytes more for each. */
  storedBytes: number;
}

export async function runCostScenario(): Promise<ScenarioResult> {
  const meter = new UsageMeter();
  const { sim, stack, stop } = await startStackWithSimulator(
    {
      dataset: {
        seed: 16,
        installationId,
        organisation: 'fifty-devs',
        members: developers,
        weeks: 13,
        repositories: Array.from({ length: repositories }, (_, i) => ({
          name: `service-${i + 1}`,
          pullRequests: 400,
        })),
      },
    },
    { daysBack: 90, syncWorkers: 10, meter },
  );
  const since = Date.now() - 90 * 86_400_000;
  const pullRequestsBackfilled = sim.dataset.repositories.reduce(
    (sum, repo) => sum + sim.dataset.countUpdatedSince(repo, since),
    0,
  );
  const output = captureOutput();
  const phases = {} as Record<Phase, Usage>;
  const logBytes = {} as Record<Phase, number>;
  const phase = async (name: Phase, work: () => Promise<unknown>) => {
    const before = meter.snapshot();
    const bytesBefore = output.bytes;
    process.stderr.write(`cost scenario: ${name}…\n`);
    await work();
    await settled(stack);
    phases[name] = difference(meter.snapshot(), before);
    logBytes[name] = output.bytes - bytesBefore;
  };

  await phase('install', async () => {
    await sim.activity.installed();
    // Its team leads, as an admin would set them on the dashboard: every email goes to each.
    await updateSettings(
      { db: createDocumentClient(), tableName: stack.aws.tableName },
      installationId,
      {
        recipients: Array.from(
          { length: recipients },
          (_, i) => `lead-${i + 1}@fifty-devs.example`,
        ),
      },
    );
    await settled(stack);
    // The next hourly run, once the backfill's marks have settled: it rolls the weeks up and clears them.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    await stack.runScheduleNow(rollupDispatcherFunction);
  });
  await phase('webhooks', async () => {
    for (let i = 0; i < newPullRequests; i++) {
      const repo = `fifty-devs/service-${(i % repositories) + 1}`;
      const number = (sim.dataset.repository(repo)?.pullRequestCount ?? 0) + 1;
      await sim.activity.open(repo);
      for (let push = 0; push < 5; push++) await sim.activity.push(repo, number);
      for (let review = 0; review < 5 + (i % 2); review++) {
        await sim.activity.review(repo, number, review === 4 ? 'APPROVED' : 'COMMENTED');
      }
      await sim.activity.merge(repo, number);
    }
  });
  await phase('daily', async () => {
    await stack.runScheduleNow(reconcileFunction);
    await stack.runScheduleNow(retentionFunction);
  });
  await phase('hourly', () => stack.runScheduleNow(rollupDispatcherFunction));
  await phase('digest', () => stack.rollUpNow(installationId));
  output.restore();
  const storedBytes = await tableBytes(stack.aws.tableName);
  await stop();
  return {
    phases,
    logBytes,
    metrics: [...output.metrics].sort(),
    pullRequestsBackfilled,
    storedBytes,
  };
}

const perItemOverhead = 100;

async function tableBytes(TableName: string): Promise<number> {
  let bytes = 0;
  for await (const page of paginateScan({ client: new DynamoDBClient({}) }, { TableName })) {
    for (const item of page.Items ?? []) {
      const entries =
        1 + table.indexes.filter((index) => item[index.partitionKey] && item[index.sortKey]).length;
      bytes += entries * (itemSize(item) + perItemOverhead);
    }
  }
  return bytes;
}

/** Counts (and swallows) what is written to standard output: the functions' logs and metrics. */
function captureOutput() {
  const write = process.stdout.write.bind(process.stdout);
  const state = { bytes: 0, metrics: new Set<string>(), restore: () => {} };
  process.stdout.write = ((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    state.bytes += Buffer.byteLength(text);
    for (const line of text.split('\n')) {
      if (!line.includes('"_aws"')) continue;
      const emf = JSON.parse(line) as {
        _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
      } & Record<string, unknown>;
      for (const directive of emf._aws.CloudWatchMetrics) {
        const dimensions = directive.Dimensions.flat()
          .map((name) => `${name}=${String(emf[name])}`)
          .join(',');
        for (const metric of directive.Metrics) state.metrics.add(`${metric.Name} {${dimensions}}`);
      }
    }
    return true;
  }) as typeof process.stdout.write;
  state.restore = () => {
    process.stdout.write = write;
  };
  return state;
}

function difference(after: Usage, before: Usage): Usage {
  const minus = <T extends Record<string, number>>(a: T, b: T | undefined): T =>
    Object.fromEntries(
      Object.entries(a).map(([key, value]) => [key, value - (b?.[key] ?? 0)]),
    ) as T;
  return {
    lambda: Object.fromEntries(
      Object.entries(after.lambda).map(([name, counts]) => [
        name,
        minus(counts, before.lambda[name]),
      ]),
    ),
    dynamodb: minus(after.dynamodb, before.dynamodb),
    sqs: minus(after.sqs, before.sqs),
    ses: minus(after.ses, before.ses),
  };
}
