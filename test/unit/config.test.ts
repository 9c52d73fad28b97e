import { describe, expect, it } from 'vitest';
import { parseEnv, syncWorkerConfigSchema, webhookConfigSchema } from '#shared/config.ts';
import { ConfigError } from '#shared/errors.ts';

const base = { TABLE_NAME: 'flowmeter', SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q' };

describe('parseEnv(webhookConfigSchema)', () => {
  it('reads a local configuration and defaults the delivery retention', () => {
    const config = parseEnv(webhookConfigSchema, { ...base, GITHUB_WEBHOOK_SECRET: 's3cret' });

    expect(config.DELIVERY_RETENTION_DAYS).toBe(7);
  });

  it('names every missing or malformed setting in one error, in English', () => {
    expect(() => parseEnv(webhookConfigSchema, { SYNC_QUEUE_URL: 'not a url' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message:
          '[flowmeter] invalid configuration: TABLE_NAME: Invalid input: expected string, received undefined; SYNC_QUEUE_URL: Invalid URL',
      }),
    );
  });

  it('refuses both a secret ARN and a plain secret', () => {
    const env = { ...base, GITHUB_WEBHOOK_SECRET: 's', WEBHOOK_SECRET_ARN: 'arn:aws:x' };

    expect(() => parseEnv(webhookConfigSchema, env)).toThrow(
      '[flowmeter] invalid configuration: set exactly one of WEBHOOK_SECRET_ARN (AWS) or GITHUB_WEBHOOK_SECRET (local)',
    );
  });

  it('refuses a retention shorter than GitHub keeps deliveries for redelivery', () => {
    const env = { ...base, GITHUB_WEBHOOK_SECRET: 's', DELIVERY_RETENTION_DAYS: '1' };

    expect(() => parseEnv(webhookConfigSchema, env)).toThrow(/DELIVERY_RETENTION_DAYS/);
  });
});

describe('parseEnv(syncWorkerConfigSchema)', () => {
  const queue = {
    TABLE_NAME: 't',
    SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q',
    NOTIFY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/n',
  };

  it('takes the App key as a file locally, with GitHub and window defaults', () => {
    const config = parseEnv(syncWorkerConfigSchema, {
      ...queue,
      GITHUB_APP_ID: '42',
      GITHUB_APP_PRIVATE_KEY_PATH: '/keys/app.pem',
    });

    expect(config).toMatchObject({
      GITHUB_APP_ID: 42,
      GITHUB_API_URL: 'https://api.github.com',
      SYNC_DAYS_BACK: 90,
      SYNC_RATE_LIMIT_RESERVE: 100,
      GITHUB_REQUEST_SPACING_MS: 1000,
    });
  });

  it('refuses an App id without a key, and local credentials beside a secret ARN', () => {
    expect(() => parseEnv(syncWorkerConfigSchema, { ...queue, GITHUB_APP_ID: '42' })).toThrow(
      /GITHUB_APP_SECRET_ARN/,
    );
    expect(() =>
      parseEnv(syncWorkerConfigSchema, {
        ...queue,
        GITHUB_APP_ID: '42',
        GITHUB_APP_PRIVATE_KEY: 'k',
        GITHUB_APP_SECRET_ARN: 'arn',
      }),
    ).toThrow(ConfigError);
  });
});
