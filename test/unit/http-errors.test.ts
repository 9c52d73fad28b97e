import { describe, expect, it } from 'vitest';
import { BadRequestError, ConfigError } from '#shared/errors.ts';
import { httpErrors } from '#shared/http/http-errors.ts';

/** Runs the middleware's onError as middy would, and returns the answer and the log. */
async function answer(error: unknown) {
  const log: { level: string; message: string; details: unknown }[] = [];
  const logger = {
    warn: (message: string, details: unknown) => {
      log.push({ level: 'warn', message, details });
    },
    error: (message: string, details: unknown) => {
      log.push({ level: 'error', message, details });
    },
  };
  const request = { error, response: undefined } as unknown as Parameters<
    NonNullable<ReturnType<typeof httpErrors>['onError']>
  >[0];
  await httpErrors(logger, { fallbackMessage: 'internal error' }).onError?.(request);
  return { response: request.response, log };
}

describe('httpErrors', () => {
  it('answers a client error with its own status and message', async () => {
    const { response } = await answer(new BadRequestError('body is not valid JSON'));

    expect(response?.statusCode).toBe(400);
    expect(JSON.parse(response?.body ?? '')).toEqual({
      error: '[flowmeter] body is not valid JSON',
    });
  });

  it('answers a configuration error with the fallback only, and logs the detail', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-AbCdEf';
    const { response, log } = await answer(
      new ConfigError(`secret ${arn} must be JSON {"current": "...", "previous"?: "..."}`),
    );

    expect(response?.statusCode).toBe(500);
    expect(response?.body).toBe(JSON.stringify({ error: 'internal error' }));
    expect(response?.body).not.toContain('arn:');
    expect(log).toEqual([
      { level: 'error', message: 'request failed', details: expect.any(ConfigError) },
    ]);
  });

  it('answers anything else with the fallback', async () => {
    const { response } = await answer(new Error('ProvisionedThroughputExceededException'));

    expect(response).toMatchObject({ statusCode: 500, body: '{"error":"internal error"}' });
  });
});
