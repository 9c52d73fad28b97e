import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod/mini';
import { describeIssues } from '#shared/schema-issues.ts';

/**
 * What an operator chooses at deploy time, as CDK context (`cdk.json`, or
 * `npx cdk deploy -c flowmeter:<key>=<value>`), with its defaults. Read and
 * checked once, so a typo fails synth with every problem listed.
 */
const allowedRetentions = Object.values(RetentionDays).filter(
  (days): days is RetentionDays => typeof days === 'number' && days > 0,
);

const scheduleExpression = z.string().check(z.regex(/^(rate|cron)\(.+\)$/));

export const deployConfigSchema = z.object({
  /** `prod` keeps the table on stack deletion; other stages (`dev`, `test`) tear it down. */
  stage: z._default(
    z
      .string()
      .check(z.regex(/^[a-z][a-z0-9-]{0,19}$/, 'lower-case letters, digits and dashes, up to 20')),
    'prod',
  ),
  /** GitHub's API: github.com, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  githubApiUrl: z._default(z.url(), 'https://api.github.com'),
  /** Where PR links in emails point: github.com, or `https://HOST` for Enterprise Server. */
  githubWebUrl: z._default(z.url(), 'https://github.com'),
  /** Backfill window of a repository's first sync, in days; 0 = full history. */
  daysBack: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(3650)), 90),
  /** When every active repository gets an incremental sync (EventBridge expression). */
  reconcileSchedule: z._default(scheduleExpression, 'rate(1 day)'),
  /**
   * Days an uninstalled installation's data, or a removed repository's, is
   * kept before it is deleted (a reinstall within them finds nothing lost).
   */
  retentionDays: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(3650)), 30),
  /** When the retention policy is applied (EventBridge expression). */
  retentionSchedule: z._default(scheduleExpression, 'rate(1 day)'),
  /** When the rollup dispatcher runs; hourly, so each time zone gets its Monday 06:00. */
  rollupSchedule: z._default(scheduleExpression, 'cron(0 * * * ? *)'),
  /** When the morning-nudge dispatcher runs; hourly, so each team gets the hour it chose on its clock. */
  nudgeSchedule: z._default(scheduleExpression, 'cron(0 * * * ? *)'),
  /** The address emails come from; it or its domain must be a verified SES identity. */
  senderEmail: z._default(z.email(), 'flowmeter@example.com'),
  /** An existing SES configuration set to send through; by default the stack makes one. */
  sesConfigurationSet: z.optional(z.string().check(z.minLength(1))),
  /** Who is emailed when an alarm fires; without it, subscribe to the topic yourself. */
  alarmEmail: z.optional(z.email()),
  /**
   * Sync workers running at once (the sync queue's event source maximum
   * concurrency, at least 2): one installation's GitHub budget and the
   * account's Lambda concurrency are shared by all of them.
   */
  syncConcurrency: z._default(z.coerce.number().check(z.int(), z.minimum(2), z.maximum(1000)), 10),
  /**
   * Lambda concurrency kept for the webhook function alone, so a busy sync
   * cannot take the account's last slots from GitHub's deliveries (GitHub
   * does not retry). 0 keeps none; AWS needs 100 left unreserved, so the
   * account's limit must exceed this by 100.
   */
  webhookReservedConcurrency: z._default(
    z.coerce.number().check(z.int(), z.minimum(0), z.maximum(1000)),
    20,
  ),
  /**
   * Requests per second the webhook route accepts (burst: twice that), apart
   * from the other routes: 200 takes issue #16's burst of 2,000 deliveries in
   * 10 s (400 at once, then 200 a second).
   */
  webhookRateLimit: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 200),
  /** Days every log group keeps its logs. */
  logRetentionDays: z._default(
    z.coerce.number().check(
      z.refine((days) => allowedRetentions.includes(days as RetentionDays), {
        message: `one of CloudWatch Logs' retention periods: ${allowedRetentions.join(', ')}`,
      }),
    ),
    30,
  ),
});

export type DeployConfig = z.infer<typeof deployConfigSchema>;

export const contextPrefix = 'flowmeter:';

/** The deploy configuration from context values, or an error naming each bad key. */
export function readDeployConfig(context: (key: string) => unknown): DeployConfig {
  const raw = Object.fromEntries(
    Object.keys(deployConfigSchema.shape).map((key) => [key, context(`${contextPrefix}${key}`)]),
  );
  const result = deployConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = describeIssues(result.error, contextPrefix).join('\n  ');
    throw new Error(`[flowmeter] invalid deploy configuration (CDK context):\n  ${problems}`);
  }
  return result.data;
}
