import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { GitHubSimulatorOptions } from '#infra/local/github-sim/server.ts';
import { startStackWithSimulator, syncComplete } from '#infra/local/stack-with-simulator.ts';
import { report } from './report.ts';

/**
 * Benchmark, part 8: fair scheduling. One large installation starts its
 * backfill; a while later several small ones install; ten sync workers, as
 * deployed. Each small installation's time to a complete first sync, and the
 * large one's total, against each one's time alone. Scaled down by default
 * (the 200 × 1,000 and 20 × 3 × 200 take an hour here):
 * BENCH_FAIRNESS=full runs those sizes.
 */
const full = process.env.BENCH_FAIRNESS === 'full';
const large = { repositories: full ? 200 : 30, pullRequests: full ? 1000 : 200 };
const small = { installations: full ? 20 : 6, repositories: 3, pullRequests: 200 };
const arrivalMs = full ? 60_000 : 10_000;
const workers = 10;
// GitHub answers a chunk of 50 PRs with their reviews in a second or two: waiting, not the CPU, dominates.
const latencyMs = 1000;

const largeOrg = (): GitHubSimulatorOptions['dataset'] => ({
  seed: 800,
  installationId: 800,
  organisation: 'large-org',
  repositories: Array.from({ length: large.repositories }, (_, i) => ({
    name: `service-${i + 1}`,
    pullRequests: large.pullRequests,
  })),
});
const smallOrg = (index: number): GitHubSimulatorOptions['dataset'] => ({
  seed: 801 + index,
  installationId: 801 + index,
  organisation: `small-org-${index + 1}`,
  repositories: Array.from({ length: small.repositories }, (_, i) => ({
    name: `app-${i + 1}`,
    pullRequests: small.pullRequests,
  })),
});

/** Installs the organisations (the first now, the rest after `arrivalMs`), returns each one's seconds to a complete first sync. */
async function run(
  organisations: GitHubSimulatorOptions['dataset'][],
  laterFrom: number,
): Promise<Map<number, number>> {
  const [first, ...rest] = organisations as [
    GitHubSimulatorOptions['dataset'],
    ...GitHubSimulatorOptions['dataset'][],
  ];
  const { sim, stack, stop } = await startStackWithSimulator(
    { dataset: first, organisations: rest, copilotMetrics: 'disabled', faults: { latencyMs } },
    { daysBack: 0, syncWorkers: workers },
  );
  const installedAt = new Map<number, number>();
  const done = new Map<number, number>();
  const install = async (installationId: number) => {
    installedAt.set(installationId, performance.now());
    await sim.installations.get(installationId)?.activity.installed();
  };
  const ids = organisations.map((organisation) => organisation.installationId);
  await Promise.all(ids.slice(0, laterFrom).map(install));
  const later = setTimeout(() => void Promise.all(ids.slice(laterFrom).map(install)), arrivalMs);
  while (done.size < ids.length) {
    for (const id of ids) {
      if (done.has(id) || !installedAt.has(id)) continue;
      if (await syncComplete(stack, id))
        done.set(id, (performance.now() - (installedAt.get(id) as number)) / 1000);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  clearTimeout(later);
  await stop();
  return done;
}

/** One scenario per process: a local stack reads its configuration once per process. */
const scenarios = {
  small: () => run([smallOrg(0)], 1),
  large: () => run([largeOrg()], 1),
  /** The small installations arriving together, with no large one: what they cost one another. */
  smalls: () =>
    run(
      Array.from({ length: small.installations }, (_, i) => smallOrg(i)),
      small.installations,
    ),
  mixed: () =>
    run([largeOrg(), ...Array.from({ length: small.installations }, (_, i) => smallOrg(i))], 1),
};
const scenario = process.argv[2] as keyof typeof scenarios | undefined;
if (scenario) {
  console.log(JSON.stringify(Object.fromEntries(await scenarios[scenario]())));
} else {
  const inChild = (name: keyof typeof scenarios): Map<number, number> => {
    const result = spawnSync(process.execPath, [new URL(import.meta.url).pathname, name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 2 ** 28,
    });
    // The scenario's figures are its last line; what its handlers logged before goes on to our log.
    const lines = result.stdout.trimEnd().split('\n');
    const last = lines.pop() || '{}';
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    return new Map(
      Object.entries(JSON.parse(last) as Record<string, number>).map(([id, s]) => [Number(id), s]),
    );
  };
  const smallAlone = inChild('small').get(801) as number;
  const largeAlone = inChild('large').get(800) as number;
  const smallsTogether = Math.max(...inChild('smalls').values());
  const mixed = inChild('mixed');
  const smallTimes = [...mixed].filter(([id]) => id !== 800).map(([, seconds]) => seconds);
  const worst = Math.max(...smallTimes);
  const mean = smallTimes.reduce((sum, seconds) => sum + seconds, 0) / smallTimes.length;
  const largeBeside = mixed.get(800) as number;
  // Every small repository's chain of chunks shares the workers with the others arriving at once:
  // with equal chunks, no scheduler finishes the last small one sooner than this, large one or not.
  const inherent = Math.max(1, (small.installations * small.repositories) / workers);
  const smalls = `${small.installations} small installations (${small.repositories} × ${small.pullRequests} PRs each)`;
  report(
    import.meta.url,
    `Fair scheduling: ${large.repositories} repositories × ${large.pullRequests} PRs backfilling, ${smalls} arriving ${arrivalMs / 1000} s later; ${workers} workers, ${latencyMs} ms per GitHub answer`,
    [
      {
        name: 'a small installation alone, to a complete first sync',
        measured: `${smallAlone.toFixed(1)} s`,
      },
      {
        name: `the ${smalls} together, no large one: the slowest`,
        measured: `${smallsTogether.toFixed(1)} s`,
      },
      {
        name: 'the small ones beside the large backfill',
        measured: `mean ${mean.toFixed(1)} s, slowest ${worst.toFixed(1)} s`,
      },
      {
        name: 'slowest small one beside the large backfill, against the small ones together without it',
        measured: `${(worst / smallsTogether).toFixed(2)}×`,
        target: 'under 2×',
        met: worst / smallsTogether < 2,
      },
      {
        name: 'slowest small one beside the large backfill, against one small installation alone',
        measured: `${(worst / smallAlone).toFixed(2)}× (arriving together, they cannot finish under ${inherent.toFixed(1)}× alone on ${workers} workers)`,
      },
      {
        name: 'the large installation beside them, against alone',
        measured: `${largeBeside.toFixed(1)} s against ${largeAlone.toFixed(1)} s = ${(largeBeside / largeAlone).toFixed(2)}×`,
      },
    ],
  );
}
