import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { replayDeadLetters } from '#shared/queue/replay.ts';
import { connectToRunningStack } from '../local/embedded-aws.ts';

/**
 * `npm run dlq:replay`: moves sync jobs parked on the dead-letter queue back
 * to the sync queue. Locally it finds the running local stack (PORT+2);
 * against AWS pass the stack outputs:
 *   npm run dlq:replay -- --from <SyncDeadLetterQueueUrl> --to <sync queue URL>
 * with AWS credentials in the environment.
 */
const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
const aws = Boolean(values.from || values.to);
if (aws && !(values.from && values.to)) {
  console.error(
    'give both --from (dead-letter queue URL) and --to (queue URL), or neither for the local stack',
  );
  process.exit(2);
}
const local = connectToRunningStack();
const sqs = aws ? new SQSClient({}) : local.sqs;
const from = values.from ?? local.syncDeadLetterQueueUrl;
const to = values.to ?? local.syncQueueUrl;

const moved = await replayDeadLetters(sqs, from, to, (count) =>
  process.stdout.write(`\rmoved ${count}`),
);
console.log(`${moved > 0 ? '\n' : ''}moved ${moved} message(s) from ${from} to ${to}`);
