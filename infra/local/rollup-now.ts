import { parseArgs } from 'node:util';
import { dispatchRollups } from '#shared/rollup/dispatch-rollups.ts';
import { connectToRunningStack } from './embedded-aws.ts';

/**
 * `npm run rollup [-- --installation <id>]`: what Monday's schedule does,
 * now, against the running local stack: each installation's finished week
 * and every week marked dirty are rolled up, and the week's digest queued.
 */
const { values } = parseArgs({ options: { installation: { type: 'string' } } });
const only = values.installation === undefined ? undefined : Number(values.installation);
if (only !== undefined && !(Number.isSafeInteger(only) && only > 0)) {
  console.error(`--installation must be a positive integer, not ${values.installation}`);
  process.exit(2);
}
const { table, sqs, rollupQueueUrl } = connectToRunningStack();
const jobs = await dispatchRollups(table, sqs, rollupQueueUrl, new Date(), 'now', only);
if (jobs.length === 0) {
  console.error(only ? `no active installation ${only}` : 'no active installations');
  process.exit(1);
}
for (const job of jobs) {
  console.log(
    `queued rollup of installation ${job.installationId} (week ${job.week} and weeks marked dirty); see GET /api/installations/${job.installationId}/metrics/weekly`,
  );
}
