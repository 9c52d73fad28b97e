import { describe, expect, it } from 'vitest';
import { readDeployConfig } from '#infra/deploy-config.ts';
import { schedulePeriodMs } from '#infra/local/schedule-period.ts';

const from = (context: Record<string, unknown>) => readDeployConfig((key) => context[key]);

describe('deploy configuration', () => {
  it('defaults to a production stage on github.com', () => {
    expect(from({})).toEqual({
      stage: 'prod',
      githubApiUrl: 'https://api.github.com',
      githubWebUrl: 'https://github.com',
      daysBack: 90,
      reconcileSchedule: 'rate(1 day)',
      retentionDays: 30,
      retentionSchedule: 'rate(1 day)',
      rollupSchedule: 'cron(0 * * * ? *)',
      nudgeSchedule: 'cron(0 * * * ? *)',
      senderEmail: 'flowmeter@example.com',
      syncConcurrency: 10,
      webhookReservedConcurrency: 20,
      webhookRateLimit: 200,
      logRetentionDays: 30,
    });
  });

  it('takes values from `-c flowmeter:<key>=<value>`, numbers given as text included', () => {
    expect(
      from({
        'flowmeter:stage': 'dev',
        'flowmeter:daysBack': '0',
        'flowmeter:githubApiUrl': 'https://ghe.example/api/v3',
        'flowmeter:alarmEmail': 'oncall@team.example',
        'flowmeter:logRetentionDays': '90',
      }),
    ).toMatchObject({
      stage: 'dev',
      daysBack: 0,
      githubApiUrl: 'https://ghe.example/api/v3',
      alarmEmail: 'oncall@team.example',
      logRetentionDays: 90,
    });
  });

  it('names every bad key at once', () => {
    expect(() =>
      from({
        'flowmeter:stage': 'Prod!',
        'flowmeter:daysBack': 'ninety',
        'flowmeter:senderEmail': 'nobody',
        'flowmeter:logRetentionDays': 31,
        'flowmeter:reconcileSchedule': 'daily',
      }),
    ).toThrow(
      /flowmeter:stage[\s\S]*flowmeter:daysBack[\s\S]*flowmeter:reconcileSchedule[\s\S]*flowmeter:senderEmail[\s\S]*flowmeter:logRetentionDays: one of CloudWatch Logs' retention periods/,
    );
  });
});

describe('schedulePeriodMs', () => {
  it('gives the laptop timer the period of a rate or an hourly cron', () => {
    expect(schedulePeriodMs('rate(1 day)')).toBe(86_400_000);
    expect(schedulePeriodMs('rate(15 minutes)')).toBe(900_000);
    expect(schedulePeriodMs('cron(0 * * * ? *)')).toBe(3_600_000);
  });

  it('refuses a cron with no fixed period', () => {
    expect(() => schedulePeriodMs('cron(0 6 ? * MON *)')).toThrow(/no fixed period/);
  });
});
