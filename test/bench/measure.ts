import { performance } from 'node:perf_hooks';

/** Runs `send` `count` times one after another and prints latency percentiles and throughput. */
export async function measure(
  label: string,
  count: number,
  send: (i: number) => Promise<number>,
  expectedStatus = 200,
) {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const status = await send(i);
    latencies.push(performance.now() - t0);
    if (status !== expectedStatus) throw new Error(`${label}: request ${i} answered ${status}`);
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  console.log(
    `${label.padEnd(44)} n=${String(count).padStart(4)}  p50 ${at(0.5).toFixed(1).padStart(6)} ms  p95 ${at(0.95).toFixed(1).padStart(6)} ms  p99 ${at(0.99).toFixed(1).padStart(6)} ms  max ${at(1).toFixed(1).padStart(6)} ms  ${(count / elapsed).toFixed(0).padStart(4)} req/s`,
  );
}
