const unitMs: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * How often the laptop's timer fires for an EventBridge schedule expression
 * of the deploy configuration: `rate(N unit)`, or a cron that fires every
 * hour (`cron(0 * * * ? *)`). Other crons have no fixed period; the local
 * stack refuses them rather than run them at a wrong rhythm.
 */
export function schedulePeriodMs(expression: string): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate) return Number(rate[1]) * (unitMs[rate[2] as string] as number);
  if (/^cron\(\d{1,2} \* \* \* \? \*\)$/.test(expression)) return unitMs.hour as number;
  throw new Error(`[local] no fixed period for the schedule ${expression}`);
}
