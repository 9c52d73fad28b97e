import { describe, expect, it } from 'vitest';
import { refreshing } from '#shared/refreshing.ts';

describe('refreshing', () => {
  it('does not keep a failed read: the next call reads again and succeeds', async () => {
    let reads = 0;
    const value = refreshing(async () => {
      reads++;
      if (reads === 1) throw new Error('ThrottlingException');
      return 'key';
    }, 60_000);

    await expect(value()).rejects.toThrow('ThrottlingException');
    await expect(value()).resolves.toBe('key');
    expect(reads).toBe(2);
  });

  it('keeps a value for its time, then reads it again', async () => {
    let clock = 0;
    let reads = 0;
    const value = refreshing(
      async () => `v${++reads}`,
      1000,
      () => clock,
    );

    expect([await value(), await value()]).toEqual(['v1', 'v1']);
    clock = 1000;
    expect(await value()).toBe('v2');
  });

  it('lets callers at the same moment share one read', async () => {
    let reads = 0;
    const value = refreshing(async () => ++reads, 1000);

    expect(await Promise.all([value(), value(), value()])).toEqual([1, 1, 1]);
  });
});
