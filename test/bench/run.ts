import { spawnSync } from 'node:child_process';

/**
 * `npm run bench`: each part in a process of its own, as each starts a local
 * stack and Lambda handlers read their configuration once per process.
 * BENCH_LARGE_PRS sets the size of the large sync (default 100,000),
 * BENCH_WEEK_PRS the PRs in the rolled-up week (default 10,000).
 */
for (const part of [
  'webhooks.ts',
  'github-sim.ts',
  'sync.ts',
  'sync-worker-memory.ts',
  'rollup.ts',
  'dashboard.ts',
  'bundles.ts',
  'fairness.ts',
  'cost.ts',
  'budget.ts',
  'delivery.ts',
]) {
  // --expose-gc: the sync part measures the heap after collection, i.e. what is really held.
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', new URL(part, import.meta.url).pathname],
    {
      stdio: 'inherit',
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
