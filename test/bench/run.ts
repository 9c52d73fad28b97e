import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchmarksPage, type PartRun } from './markdown.ts';
import { figuresTable, type PartReport } from './report.ts';

/**
 * `npm run bench [-- [--markdown] [part ...]]`: every part (or the ones
 * named), each in a process of its own, as each starts a local stack and
 * Lambda handlers read their configuration once per process. A part's own
 * output — the handlers' logs, at warning level unless POWERTOOLS_LOG_LEVEL
 * says otherwise — goes to `.data/bench/<part>.log`; its figures come back
 * over IPC and are printed here. `--markdown` writes them into
 * docs/benchmarks.md's table, replacing the rows of the parts that ran.
 * BENCH_LARGE_PRS sets the size of the large sync (default 100,000),
 * BENCH_WEEK_PRS the PRs in the rolled-up week (default 10,000),
 * BENCH_FAIRNESS=full the issue-sized fairness scenario, BENCH_RECENT_REPOSITORIES
 * and BENCH_RECENT_PRS the size of the recent-first organisation (200 × 300),
 * BENCH_COMPLETENESS_REPOSITORIES the completeness check's (20 × 200).
 */
const parts = [
  'webhooks',
  'github-sim',
  'sync',
  'sync-worker-memory',
  'rollup',
  'dashboard',
  'bundles',
  'fairness',
  'cost',
  'budget',
  'delivery',
  'nudges',
  'working-time',
  'teams',
  'recent-first',
  'completeness',
] as const;

const { values, positionals } = parseArgs({
  options: { markdown: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const unknown = positionals.filter((name) => !(parts as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`no such part: ${unknown.join(', ')}; the parts are ${parts.join(', ')}`);
  process.exit(2);
}
const chosen = parts.filter((part) => positionals.length === 0 || positionals.includes(part));

const logDir = fileURLToPath(new URL('../../.data/bench/', import.meta.url));
mkdirSync(logDir, { recursive: true });
const settings = Object.entries(process.env)
  .filter(([name]) => name.startsWith('BENCH_'))
  .map(([name, value]) => `${name}=${value} `)
  .join('');
const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;

const runs: PartRun[] = [];
for (const part of chosen) {
  const log = join(logDir, `${part}.log`);
  process.stdout.write(`\n${part} … (its log: ${log})`);
  const started = performance.now();
  const output = openSync(log, 'w');
  // --expose-gc: the sync part measures the heap after collection, i.e. what is really held.
  const child = spawn(
    process.execPath,
    ['--expose-gc', fileURLToPath(new URL(`${part}.ts`, import.meta.url))],
    {
      stdio: ['ignore', output, output, 'ipc'],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' },
    },
  );
  const received: PartReport[] = [];
  child.on('message', (message) => received.push(message as PartReport));
  const [code] = (await once(child, 'exit')) as [number | null];
  closeSync(output);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(` ${seconds.toFixed(0)} s\n`);
  const [result] = received;
  if (code !== 0 || !result) {
    const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
    console.error(`${part} failed (exit ${code}); the end of its log:\n${tail}`);
    process.exit(code || 1);
  }
  console.log(figuresTable(result));
  runs.push({
    report: result,
    command: `${settings}npm run bench -- ${part}`,
    run: `${new Date().toISOString().slice(0, 10)}, ${machine}, ${seconds.toFixed(0)} s`,
  });
}

if (values.markdown) {
  const page = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
  writeFileSync(page, benchmarksPage(readFileSync(page, 'utf8'), runs, parts));
  console.log(`\nwrote the figures of ${chosen.join(', ')} into ${page}`);
}
