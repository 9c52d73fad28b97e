import { performance } from 'node:perf_hooks';
import type { Figure } from './report.ts';

export interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
}

/** The value at quantile `q` of `sorted` (ascending), as the benchmarks have always read it. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Runs `send` `count` times one after another: latency percentiles and throughput. */
export async function measure(
  label: string,
  count: number,
  send: (i: number) => Promise<number>,
  expectedStatus = 200,
): Promise<Latencies> {
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
  return {
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    perSecond: count / elapsed,
  };
}

/** Latencies as one figure: `p50 5.5 ms, p95 10.9 ms, p99 15.3 ms, 150 req/s`. */
export function latencyFigure(
  name: string,
  { p50, p95, p99, perSecond }: Latencies,
  target?: Pick<Figure, 'target' | 'met'>,
): Figure {
  return {
    name,
    measured: `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${perSecond.toFixed(0)} req/s`,
    ...target,
  };
}
