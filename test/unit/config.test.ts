import { describe, expect, it } from 'vitest';
import { parseEnv, webhookConfigSchema } from '#shared/config.ts';
import { ConfigError } from '#shared/errors.ts';

const base = { TABLE_NAME: 'flowmeter', SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q' };

describe('parseEnv(webhookConfigSchema)', () => {
  it('reads a local configuration and defaults the delivery retention', () => {
    const config = parseEnv(webhookConfigSchema, { ...base, GITHUB_WEBHOOK_SECRET: 's3cret' });

    expect(config.DELIVERY_RETENTION_DAYS).toBe(7);
  });

  it('names every missing setting in one error', () => {
    expect(() => parseEnv(webhookConfigSchema, {})).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: expect.stringMatching(/TABLE_NAME.*SYNC_QUEUE_URL/),
      }),
    );
  });

  it('refuses both a secret ARN and a plain secret', () => {
    const env = { ...base, GITHUB_WEBHOOK_SECRET: 's', WEBHOOK_SECRET_ARN: 'arn:aws:x' };

    expect(() => parseEnv(webhookConfigSchema, env)).toThrow(ConfigError);
  });

  it('refuses a retention shorter than GitHub keeps deliveries for redelivery', () => {
    const env = { ...base, GITHUB_WEBHOOK_SECRET: 's', DELIVERY_RETENTION_DAYS: '1' };

    expect(() => parseEnv(webhookConfigSchema, env)).toThrow(/DELIVERY_RETENTION_DAYS/);
  });
});
