import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '#shared/backoff.ts';
import { withTransientRetry } from '#shared/github/transient-retry.ts';

const failure = (status: number) =>
  new RequestError(`status ${status}`, status, {
    request: { method: 'POST', url: 'https://api.github.com/graphql', headers: {} },
  });

/** A send that fails with `statuses` in turn, then succeeds; records the waits taken. */
function scripted(statuses: number[]) {
  const waits: number[] = [];
  let calls = 0;
  return {
    waits,
    calls: () => calls,
    send: async () => {
      const status = statuses[calls++];
      if (status !== undefined) throw failure(status);
      return 'ok';
    },
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

const options = { retries: 4, baseMs: 500, capMs: 8000, remainingMs: () => 60_000 };

describe('transient retry', () => {
  it('waits a uniformly random time below an exponentially growing, capped bound', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, options, () => 0.999999))).toEqual([
      499, 999, 1999, 3999, 7999, 7999,
    ]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(2000);
  });

  it('retries 500 and 503 with jittered waits until one succeeds', async () => {
    const script = scripted([503, 500, 503]);
    const randoms = [0.9, 0.1, 0.5];
    const result = await withTransientRetry(script.send, {
      ...options,
      random: () => randoms.shift() ?? 0,
      sleep: script.sleep,
    });
    expect(result).toBe('ok');
    expect(script.calls()).toBe(4);
    // 0.9 × 500, 0.1 × 1000, 0.5 × 2000: not the same wait for every worker.
    expect(script.waits).toEqual([450, 100, 1000]);
  });

  it('gives up after the last retry with the last error', async () => {
    const script = scripted([503, 503, 503, 503, 503, 503]);
    await expect(
      withTransientRetry(script.send, { ...options, random: () => 0, sleep: script.sleep }),
    ).rejects.toMatchObject({ status: 503 });
    expect(script.calls()).toBe(5);
  });

  it('passes 502, 504, 4xx and other errors through at once', async () => {
    for (const status of [502, 504, 401, 403, 404, 422]) {
      const script = scripted([status]);
      await expect(
        withTransientRetry(script.send, { ...options, sleep: script.sleep }),
      ).rejects.toMatchObject({ status });
      expect(script.calls()).toBe(1);
    }
    await expect(
      withTransientRetry(
        async () => {
          throw new TypeError('not a request error');
        },
        { ...options },
      ),
    ).rejects.toThrow(TypeError);
  });

  it('does not take a wait the caller has no time left for', async () => {
    const script = scripted([503, 503]);
    await expect(
      withTransientRetry(script.send, {
        ...options,
        random: () => 0.999,
        remainingMs: () => 300,
        sleep: script.sleep,
      }),
    ).rejects.toMatchObject({ status: 503 });
    expect(script.waits).toEqual([]);
  });
});
