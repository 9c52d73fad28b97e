import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { syncWorkerFunction } from '#functions/sync-worker/function.ts';
import { startEmbeddedAws } from '#infra/local/embedded-aws.ts';
import { loadOrCreateAppKey } from '#infra/local/github-sim/app-key-file.ts';
import { startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import { createDocumentClient } from '#shared/aws/clients.ts';
import { recordInstallation, recordRepositories } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { enqueueSyncJobs, syncJobFor } from '../support/sync-jobs.ts';
import { report } from './report.ts';

/**
 * Benchmark, part 4: peak RSS of the sync worker by itself (its own process,
 * like a Lambda) backfilling one large repository, the simulator and the
 * embedded servers running in this process.
 */
const pullRequests = Number(process.env.BENCH_LARGE_PRS ?? 100_000);
const dataDir = await mkdtemp(join(tmpdir(), 'flowmeter-worker-'));
const aws = await startEmbeddedAws({ dataDir });
const app = await loadOrCreateAppKey(dataDir, 1001);
const sim = await startGitHubSimulator({
  credentials: app,
  dataset: {
    seed: 9,
    installationId: 9,
    organisation: 'solo',
    repositories: [{ name: 'big', pullRequests }],
  },
  rateLimits: { graphqlLimit: 10_000_000, coreLimit: 10_000_000 },
});
Object.assign(process.env, aws.env);
const table = { db: createDocumentClient(), tableName: aws.tableName };
const repo = sim.dataset.repositories[0];
if (!repo) throw new Error('no repository');
await recordInstallation(table, { id: 9, account: sim.dataset.organisation }, new Date(), 'active');
await recordRepositories(
  table,
  9,
  [{ id: repo.id, name: repo.name, full_name: repo.fullName, private: false }],
  new Date(),
);

const worker = spawn(
  process.execPath,
  [new URL('sync-worker-process.ts', import.meta.url).pathname],
  {
    env: {
      ...process.env,
      GITHUB_API_URL: sim.url,
      GITHUB_APP_ID: String(app.appId),
      GITHUB_APP_PRIVATE_KEY_PATH: app.privateKeyPath,
      GITHUB_REQUEST_SPACING_MS: '0',
      SYNC_DAYS_BACK: '0',
      // The heap limits the deployed worker runs with.
      NODE_OPTIONS: syncWorkerFunction.nodeOptions,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const lines = createInterface({ input: worker.stdout });
const iterator = lines[Symbol.asyncIterator]();
await iterator.next(); // ready
await enqueueSyncJobs(
  new SQSClient({}),
  aws.syncQueueUrl,
  syncJobFor(9, repo, 'bench:worker-memory'),
);
const started = Date.now();
for (;;) {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: aws.tableName, Key: keys.repository(9, repo.id) }),
  );
  if (Item?.syncStatus === 'complete') break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const seconds = (Date.now() - started) / 1000;
worker.kill('SIGTERM');
// The worker's metrics (EMF lines, as on Lambda) come first; the report is the line that has the figure.
let peakMiB: number | undefined;
while (peakMiB === undefined) {
  const line = await iterator.next();
  if (line.done) throw new Error('the worker exited without reporting its peak RSS');
  peakMiB = (JSON.parse(String(line.value)) as { peakRssMiB?: number }).peakRssMiB;
}
await once(worker, 'exit');
await sim.stop();
await aws.stop();
await rm(dataDir, { recursive: true, force: true });
report(import.meta.url, 'Sync worker alone in its own process, as on Lambda', [
  {
    name: `peak RSS backfilling ${pullRequests.toLocaleString('en')} PRs (deployed heap limits)`,
    measured: `${peakMiB} MiB (${((peakMiB * 2 ** 20) / 1e6).toFixed(0)} MB), ${seconds.toFixed(0)} s`,
    target: 'under 250 MB',
    met: peakMiB * 2 ** 20 < 250e6,
  },
]);
