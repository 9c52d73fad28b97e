import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { RollupJob } from '#shared/queue/rollup-job.ts';
import { dispatchRollups } from '#shared/rollup/dispatch-rollups.ts';
import { connectToRunningStack } from '../local/embedded-aws.ts';

/**
 * `npm run rollup [-- --installation <id>]`: what Monday's schedule does,
 * now: each installation's finished week and every week marked dirty are
 * rolled up, and the week's digest queued. Locally against the running
 * stack; against AWS add `--function <RollupDispatcherName output>`, with
 * AWS credentials and region in the environment.
 */
const { values } = parseArgs({
  options: { installation: { type: 'string' }, function: { type: 'string' } },
});
const only = values.installation === undefined ? undefined : Number(values.installation);
if (only !== undefined && !(Number.isSafeInteger(only) && only > 0)) {
  console.error(`--installation must be a positive integer, not ${values.installation}`);
  process.exit(2);
}

let queued: Pick<RollupJob, 'installationId' | 'week'>[];
if (values.function) {
  const result = await new LambdaClient({}).send(
    new InvokeCommand({
      FunctionName: values.function,
      Payload: JSON.stringify({ mode: 'now', installationId: only }),
    }),
  );
  const body = new TextDecoder().decode(result.Payload);
  if (result.FunctionError) {
    console.error(`the dispatcher failed (${result.FunctionError}): ${body}`);
    process.exit(1);
  }
  queued = (JSON.parse(body) as { queued: typeof queued }).queued;
} else {
  const { table, sqs, rollupQueueUrl } = connectToRunningStack();
  queued = await dispatchRollups(table, sqs, rollupQueueUrl, new Date(), 'now', only);
}
if (queued.length === 0) {
  console.error(only ? `no active installation ${only}` : 'no active installations');
  process.exit(1);
}
for (const job of queued) {
  console.log(
    `queued rollup of installation ${job.installationId} (week ${job.week} and weeks marked dirty); see GET /api/installations/${job.installationId}/metrics/weekly`,
  );
}
