import { describe, expect, it } from 'vitest';
import { syncWorkerFunction } from '#functions/sync-worker/function.ts';
import { webhookFunction } from '#functions/webhook/function.ts';
import { parseEnv } from '#shared/config.ts';
import { ConfigError } from '#shared/errors.ts';

const base = {
  TABLE_NAME: 'flowmeter',
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q',
  COPILOT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/c',
  TEAMS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/t',
};

describe('parseEnv(webhookFunction.config)', () => {
  it('reads a local configuration and defaults the delivery retention', () => {
    const config = parseEnv(webhookFunction.config, { ...base, GITHUB_WEBHOOK_SECRET: 's3cret' });

    expect(config.DELIVERY_RETENTION_DAYS).toBe(7);
  });

  it('names every missing or malformed setting in one error, in English', () => {
    expect(() =>
      parseEnv(webhookFunction.config, {
        SYNC_QUEUE_URL: 'not a url',
        COPILOT_QUEUE_URL: base.COPILOT_QUEUE_URL,
        TEAMS_QUEUE_URL: base.TEAMS_QUEUE_URL,
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message:
          '[flowmeter] invalid configuration: TABLE_NAME: Invalid input: expected string, received undefined; SYNC_QUEUE_URL: Invalid URL',
      }),
    );
  });

  it('refuses both a secret ARN and a plain secret', () => {
    const env = { ...base, GITHUB_WEBHOOK_SECRET: 's', WEBHOOK_SECRET_ARN: 'arn:aws:x' };

    expect(() => parseEnv(webhookFunction.config, env)).toThrow(
      '[flowmeter] invalid configuration: set exactly one of WEBHOOK_SECRET_ARN (AWS) or GITHUB_WEBHOOK_SECRET (local)',
    );
  });

  it('refuses a retention shorter than GitHub keeps deliveries for redelivery', () => {
    const env = { ...base, GITHUB_WEBHOOK_SECRET: 's', DELIVERY_RETENTION_DAYS: '1' };

    expect(() => parseEnv(webhookFunction.config, env)).toThrow(/DELIVERY_RETENTION_DAYS/);
  });
});

describe('parseEnv(syncWorkerFunction.config)', () => {
  const queue = {
    TABLE_NAME: 't',
    SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q',
    NOTIFY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/n',
    ROLLUP_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/r',
    GITHUB_API_URL: 'https://api.github.com',
    SYNC_DAYS_BACK: '30',
  };

  it('takes the App key as a file locally, with the engine defaults', () => {
    const config = parseEnv(syncWorkerFunction.config, {
      ...queue,
      GITHUB_APP_ID: '42',
      GITHUB_APP_PRIVATE_KEY_PATH: '/keys/app.pem',
    });

    expect(config).toMatchObject({
      GITHUB_APP_ID: 42,
      SYNC_DAYS_BACK: 30,
      SYNC_RATE_LIMIT_RESERVE: 100,
      GITHUB_REQUEST_SPACING_MS: 1000,
    });
  });

  it('has no default of its own for what the deploy configuration decides', () => {
    const { GITHUB_API_URL, SYNC_DAYS_BACK, ...rest } = queue;

    expect(() =>
      parseEnv(syncWorkerFunction.config, { ...rest, GITHUB_APP_SECRET_ARN: 'arn' }),
    ).toThrow(/GITHUB_API_URL: .*; SYNC_DAYS_BACK: /);
  });

  it('refuses an App id without a key, and local credentials beside a secret ARN', () => {
    expect(() => parseEnv(syncWorkerFunction.config, { ...queue, GITHUB_APP_ID: '42' })).toThrow(
      /GITHUB_APP_SECRET_ARN/,
    );
    expect(() =>
      parseEnv(syncWorkerFunction.config, {
        ...queue,
        GITHUB_APP_ID: '42',
        GITHUB_APP_PRIVATE_KEY: 'k',
        GITHUB_APP_SECRET_ARN: 'arn',
      }),
    ).toThrow(ConfigError);
  });
});
