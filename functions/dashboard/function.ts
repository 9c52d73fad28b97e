import * as z from 'zod/mini';
import { slackUrlKeyEnvironment } from '#shared/aws/slack-url-key.ts';
import { nonEmpty, optionalNonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';
import { table } from '#shared/resources.ts';
import { agreementsAttribute } from '#shared/store/agreements.ts';
import { dirtyWeekAttributes } from '#shared/store/dirty-weeks.ts';
import { nudgeAttribute, nudgeHoursAttribute } from '#shared/store/nudge-settings.ts';
import { settingsAttributes } from '#shared/store/settings.ts';

export const dashboardFunction = {
  name: 'dashboard',
  description: 'The dashboard: sign in with GitHub, installations, sync progress, weekly metrics',
  memoryMb: 512,
  timeoutSeconds: 10,
  trigger: {
    kind: 'http',
    routes: [
      { method: 'GET', path: '/' },
      { method: 'GET', path: '/login' },
      { method: 'GET', path: '/login/callback' },
      { method: 'POST', path: '/logout' },
      { method: 'GET', path: '/assets/{file}' },
      { method: 'GET', path: '/installations/{proxy+}' },
      { method: 'POST', path: '/installations/{proxy+}' },
    ],
    authorization: 'none',
    checkedBy:
      'People sign in with GitHub: every page but the sign-in reads a sealed session cookie, and shows an installation, and within it a repository or a team, only while GitHub shows it to the person.',
  },
  // Anyone can call it: its own sessions; reads of tenants' items; and on an installation's own
  // partition (not its repositories' or metrics'), the settings and dirty-week marks a save
  // writes — no scan, batch write or delete of tenant data.
  table: [
    {
      actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
      partitions: ['SESSION#*'],
    },
    { actions: ['GetItem', 'Query'], partitions: ['INST#*'] },
    {
      actions: ['UpdateItem'],
      partitions: ['INST#*'],
      exceptPartitions: ['INST#*#*'],
      attributes: [
        table.partitionKey,
        table.sortKey,
        ...new Set([
          ...settingsAttributes,
          ...dirtyWeekAttributes,
          agreementsAttribute,
          nudgeAttribute,
          nudgeHoursAttribute,
        ]),
      ],
    },
  ],
  // A calendar saved with a holiday region: its dates are resolved by the holidays function.
  sendsTo: ['holidays'],
  config: z
    .object({
      TABLE_NAME: nonEmpty,
      HOLIDAYS_QUEUE_URL: z.url(),
      GITHUB_API_URL: z.url(),
      /** github.com or the Enterprise host, where people sign in. */
      GITHUB_WEB_URL: z.url(),
      /** The dashboard's own address: GitHub sends people back to `<this>/login/callback`. */
      DASHBOARD_URL: z.url(),
      /** AWS: Secrets Manager secret holding {"clientId", "clientSecret", "sessionKey"}. */
      DASHBOARD_SECRET_ARN: optionalNonEmpty,
      /** Local: the App's OAuth client and a session key phrase (32 characters or more). */
      GITHUB_CLIENT_ID: optionalNonEmpty,
      GITHUB_CLIENT_SECRET: optionalNonEmpty,
      DASHBOARD_SESSION_KEY: optionalNonEmpty,
      /** The key a team's Slack webhook URL is sealed under when a settings page saves one. */
      ...slackUrlKeyEnvironment,
    })
    .check(
      z.refine(
        (env) =>
          Boolean(env.DASHBOARD_SECRET_ARN) !==
          Boolean(env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET && env.DASHBOARD_SESSION_KEY),
        {
          message:
            'set DASHBOARD_SECRET_ARN (AWS) or GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and DASHBOARD_SESSION_KEY (local), not both',
        },
      ),
    ),
} as const satisfies FunctionDefinition;
