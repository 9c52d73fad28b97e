import { defaultWaitingRules } from '#shared/metrics/waiting-list.ts';
import {
  type NudgeChange,
  type NudgeSettings,
  nudgeChangeSchema,
  SlackUrlError,
  slackUrlProblem,
} from '#shared/store/nudge-settings.ts';
import { flagBoolean, flagCount, SettingsFlagError } from './agreement-flags.ts';
import { givesAny } from './flag-set.ts';

/** `npm run settings -- --team`'s flags of the team's morning nudge. */
export const nudgeOptions = {
  'nudge-hour': { type: 'string' },
  'idle-days': { type: 'string' },
  'nudge-email': { type: 'string' },
  'slack-webhook-url': { type: 'string' },
} as const;

export const nudgeUsage =
  '[--nudge-hour <0-23 in the team\'s zone>|""] [--idle-days <1-90>] [--nudge-email true|false] [--slack-webhook-url <https://hooks.slack.com/...>|""]';

type NudgeFlags = Partial<Record<keyof typeof nudgeOptions, string>>;

export const givesNudge = givesAny(nudgeOptions);

function inRange(flag: string, value: number | undefined, min: number, max: number) {
  if (value !== undefined && (value < min || value > max))
    throw new SettingsFlagError(`--${flag} takes ${min} to ${max}, not ${value}`);
  return value;
}

/**
 * The change the flags ask for, checked whole before anything is stored:
 * `--nudge-hour ""` turns the nudge off, `--slack-webhook-url ""` forgets the URL.
 */
export function nudgeChange(flags: NudgeFlags, allowLoopback: boolean): NudgeChange {
  const hour = flags['nudge-hour'];
  const idle = flags['idle-days'];
  if (idle?.trim() === '') throw new SettingsFlagError('--idle-days takes 1 to 90, not ""');
  const url = flags['slack-webhook-url']?.trim();
  const problem = url ? slackUrlProblem(url, allowLoopback) : undefined;
  if (problem) throw new SlackUrlError(`--slack-webhook-url: ${problem}`);
  return nudgeChangeSchema.parse({
    ...(hour === undefined
      ? {}
      : { hour: inRange('nudge-hour', flagCount('nudge-hour', hour), 0, 23) ?? null }),
    ...(idle === undefined
      ? {}
      : { idleDays: inRange('idle-days', flagCount('idle-days', idle), 1, 90) }),
    ...(flags['nudge-email'] === undefined
      ? {}
      : { email: flagBoolean('nudge-email', flags['nudge-email']) }),
    ...(url === undefined ? {} : { slackWebhookUrl: url === '' ? null : url }),
  });
}

/** The lines `npm run settings` shows of a team's nudge: the Slack URL as its hint only. */
export function nudgeLines(nudge: NudgeSettings | undefined, zone: string): string {
  const when =
    nudge?.hour === undefined
      ? 'off (set --nudge-hour to send one)'
      : `${String(nudge.hour).padStart(2, '0')}:00 ${zone} on working days`;
  const idle = nudge?.idleDays ?? defaultWaitingRules.idleDays;
  const slack = nudge?.slack;
  const failure = slack?.failure
    ? `; refused by Slack ${slack.failure.at.slice(0, 10)} (${slack.failure.status} ${slack.failure.error}): nothing is sent to it until a new URL is set`
    : '';
  return `  nudge       ${when}; idle after ${idle} days; email ${nudge?.email === false ? 'off' : "on (the team's recipients)"}
  slack       ${slack ? `${slack.hint}${failure}` : '(none)'}`;
}
