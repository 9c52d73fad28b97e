import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { emailKeys } from '#shared/notify/handle-notification.ts';
import { keys } from '#shared/store/keys.ts';
import type { TableRef } from '#shared/store/table.ts';
import { formatValue } from '#shared/views/format.ts';
import type { WeeklyMetricsView, WeekView } from '#shared/views/weekly-metrics-view.ts';
import type { LocalStack } from './local-stack.ts';

/** Who gets the demo installation's emails (`npm run settings` changes it). */
export const demoRecipient = (organisation: string) => `lead@${organisation}.example`;

/** Who gets a demo team's digest (`npm run settings -- --team <slug>` changes it). */
export const demoTeamRecipient = (organisation: string, slug: string) =>
  `${slug}-lead@${organisation}.example`;

/**
 * Waits (up to a minute) for the installation's first Copilot usage fetch,
 * which its installation webhook queued, so the rollup has its weeks.
 * Returns what GitHub answered, or undefined if it has not finished.
 */
export async function awaitCopilotUsage(
  table: TableRef,
  installationId: number,
): Promise<string | undefined> {
  for (let waited = 0; waited <= 60_000; waited += 250) {
    const { Item } = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: keys.installation(installationId) }),
    );
    const access = (Item?.copilot as { access?: string } | undefined)?.access;
    if (access) return access;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

/**
 * What Monday 06:00 does, now, for the demo installation: the rollup of its
 * synced history and the digests of the last finished week. Resolves once
 * the digest, the sync-complete email and the demo team's digest are sent
 * (in this run, or recorded as sent by an earlier one), with the week and
 * the subject of each email the embedded inbox holds.
 */
export async function rollUpAndMail(
  stack: LocalStack,
  table: TableRef,
  installationId: number,
  recipient: string,
  team?: { teamId: number; recipient: string },
): Promise<{ week: string; inbox: string[] }> {
  const [job] = await stack.rollUpNow(installationId);
  if (!job?.week) throw new Error(`installation ${installationId} is not active`);
  const awaited = [
    { emailKey: emailKeys.syncComplete, recipient },
    { emailKey: emailKeys.weeklyDigest(job.week), recipient },
    ...(team
      ? [{ emailKey: emailKeys.teamDigest(job.week, team.teamId), recipient: team.recipient }]
      : []),
  ];
  for (const { emailKey, recipient } of awaited) {
    const record = keys.sentEmail(installationId, emailKey, recipient);
    for (let waited = 0; ; waited += 250) {
      const { Item } = await table.db.send(
        new GetCommand({ TableName: table.tableName, Key: record }),
      );
      if (Item?.state === 'sent') break;
      if (waited > 120_000) throw new Error(`no ${emailKey} email after two minutes`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const store = (await (await fetch(`${stack.aws.sesInboxUrl}/store`)).json()) as {
    emails: { subject: string }[];
  };
  return { week: job.week, inbox: store.emails.map((email) => email.subject) };
}

/** The digest week's delivery and AI adoption, a line each, read from the metrics API as anyone would. */
export async function weekSummaryLines(
  stackUrl: string,
  installationId: number,
  week: string,
): Promise<string[]> {
  const response = await fetch(
    `${stackUrl}/api/installations/${installationId}/metrics/weekly?weeks=1`,
  );
  const view = (await response.json()) as WeeklyMetricsView;
  const shown = view.weeks.find((entry) => entry.week === week);
  return [deliveryLine(week, shown?.delivery ?? null), aiAdoptionLine(view, week, shown)];
}

function deliveryLine(week: string, delivery: WeekView['delivery']): string {
  if (!delivery) return `Delivery, ${week}: no production deployment on record.`;
  const { figures, levels } = delivery;
  return `Delivery, ${week}: ${figures.deployments} production deployments on ${figures.deploymentDays} days (${levels.deploymentFrequency}), lead time median ${formatValue(figures.leadTime?.median ?? null, 'h')} (${levels.leadTime ?? '—'}), change failure rate ${formatValue(figures.changeFailure?.rate ?? null, '%')} (${levels.changeFailureRate ?? '—'}), time to restore median ${formatValue(figures.timeToRestore?.median ?? null, 'h')} (${levels.timeToRestore ?? '—'}).`;
}

function aiAdoptionLine(
  view: WeeklyMetricsView,
  week: string,
  shown: WeekView | undefined,
): string {
  const adoption = shown?.aiAdoption;
  if (!adoption) return `AI adoption, ${week}: no figures yet.`;
  const merged = adoption.aiAssisted.merged + adoption.notAiAssisted.merged;
  const copilot = adoption.copilot
    ? `; Copilot: ${adoption.copilot.activeUsers ?? '?'} active users, ${Math.round((adoption.copilot.acceptanceRate ?? 0) * 100)}% of suggestions accepted`
    : `; Copilot: ${view.copilot?.access ?? 'not fetched'}`;
  return `AI adoption, ${week}: ${adoption.aiAssisted.merged} of ${merged} merged PRs AI-assisted (median cycle ${adoption.aiAssisted.cycleTime?.median ?? '—'} h against ${adoption.notAiAssisted.cycleTime?.median ?? '—'} h)${copilot}.`;
}
