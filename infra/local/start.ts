import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { demoDeliveryId, demoInstallationCreated } from './demo.ts';
import { startLocalStack } from './local-stack.ts';
import { sendSignedWebhook } from './sign-and-send.ts';

/** `npm start`: Flowmeter on the embedded stack, with a demo installation, until Ctrl-C. */
const { values } = parseArgs({ options: { fresh: { type: 'boolean', default: false } } });
const dataDir = resolve('.data');
if (values.fresh) await rm(dataDir, { recursive: true, force: true });

const port = Number(process.env.PORT ?? 3000);
const webhookSecret = process.env.GITHUB_WEBHOOK_SECRET ?? 'flowmeter-local-development-secret';
const stack = await startLocalStack({ port, webhookSecret, dataDir });

console.log(`
Flowmeter local stack is up (data in ${dataDir}${values.fresh ? ', started fresh' : ''})
  webhook URL     POST ${stack.webhookUrl}
  webhook secret  ${webhookSecret}${process.env.GITHUB_WEBHOOK_SECRET ? '' : '  (development default; set GITHUB_WEBHOOK_SECRET to change)'}
  installations   GET  ${stack.url}/api/installations
  SES inbox       ${stack.aws.sesInboxUrl}
  sync queue      ${stack.aws.syncQueueUrl}
`);

const demo = await sendSignedWebhook({
  url: stack.webhookUrl,
  secret: webhookSecret,
  event: 'installation',
  payload: demoInstallationCreated,
  deliveryId: demoDeliveryId,
});
console.log(`demo installation ${demoInstallationCreated.installation.account.login}:`, demo.body);
console.log('\nCtrl-C stops; data persists in .data/ (npm start -- --fresh starts clean).');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping`);
    stack.stop().then(() => process.exit(0));
  });
}
