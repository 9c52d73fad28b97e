import { describe, expect, it } from 'vitest';
import { spreadOut } from '#shared/sync/dispatch-reconciliation.ts';

describe('spreadOut', () => {
  it('lets installations take turns, ten seconds apart while they are few', () => {
    const big = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    const small = ['b1'];
    const other = ['c1', 'c2'];

    // 9 jobs: 900 s / 9 would be 100 s apart; ten seconds is spread enough.
    expect(spreadOut([big, small, other])).toEqual([
      { job: 'a1', delaySeconds: 0 },
      { job: 'b1', delaySeconds: 10 },
      { job: 'c1', delaySeconds: 20 },
      { job: 'a2', delaySeconds: 30 },
      { job: 'c2', delaySeconds: 40 },
      { job: 'a3', delaySeconds: 50 },
      { job: 'a4', delaySeconds: 60 },
      { job: 'a5', delaySeconds: 70 },
      { job: 'a6', delaySeconds: 80 },
    ]);
  });

  it('spreads many jobs evenly over fifteen minutes, the longest SQS delay', () => {
    // 1,800 jobs over 900 s: two a second, the last at 899.5 s, rounded down.
    const schedule = spreadOut([Array.from({ length: 1800 }, (_, i) => i)]);
    expect(schedule[1]).toEqual({ job: 1, delaySeconds: 0 });
    expect(schedule[2]).toEqual({ job: 2, delaySeconds: 1 });
    expect(schedule.at(-1)).toEqual({ job: 1799, delaySeconds: 899 });
  });

  it('sends a single job at once, and nothing for nothing', () => {
    expect(spreadOut([['only']])).toEqual([{ job: 'only', delaySeconds: 0 }]);
    expect(spreadOut([[], []])).toEqual([]);
  });
});
