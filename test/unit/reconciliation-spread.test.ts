import { describe, expect, it } from 'vitest';
import { spreadOut } from '#shared/sync/dispatch-reconciliation.ts';

describe('spreadOut', () => {
  it('lets installations take turns and spreads the turns evenly over fifteen minutes', () => {
    const big = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    const small = ['b1'];
    const other = ['c1', 'c2'];

    // 9 jobs over 900 s: one every 100 s, the small installations' first ones early.
    expect(spreadOut([big, small, other])).toEqual([
      { job: 'a1', delaySeconds: 0 },
      { job: 'b1', delaySeconds: 100 },
      { job: 'c1', delaySeconds: 200 },
      { job: 'a2', delaySeconds: 300 },
      { job: 'c2', delaySeconds: 400 },
      { job: 'a3', delaySeconds: 500 },
      { job: 'a4', delaySeconds: 600 },
      { job: 'a5', delaySeconds: 700 },
      { job: 'a6', delaySeconds: 800 },
    ]);
  });

  it('sends a single job at once, and nothing for nothing', () => {
    expect(spreadOut([['only']])).toEqual([{ job: 'only', delaySeconds: 0 }]);
    expect(spreadOut([[], []])).toEqual([]);
  });
});
