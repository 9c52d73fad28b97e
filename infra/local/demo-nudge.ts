import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { nudgeDispatcherFunction } from '#functions/nudge-dispatcher/function.ts';
import { slackUrlKeySource } from '#shared/aws/slack-url-key.ts';
import { nudgeKey, slackRecipient } from '#shared/notify/morning-nudge.ts';
import type { MorningNudge } from '#shared/queue/morning-nudge.ts';
import { setAgreements } from '#shared/store/agreements.ts';
import { keys } from '#shared/store/keys.ts';
import { updateTeamNudge } from '#shared/store/nudge-settings.ts';
import type { TableRef } from '#shared/store/table.ts';
import type { LocalStack } from './local-stack.ts';
import type { SlackSink } from './slack-sink.ts';

/**
 * The demo team's morning nudge: on a first run it gets a working agreement,
 * a nudge at 09:00 and a Slack webhook on the local sink; then the
 * dispatcher runs now (as `{"mode": "now"}` does in AWS) and this waits for
 * the channel's post and the email, as sent now or recorded as sent today.
 */
export async function setUpDemoNudge(
  table: TableRef,
  holder: { installationId: number; teamId: number },
  sink: SlackSink,
): Promise<void> {
  const key = slackUrlKeySource(process.env) as () => Promise<Buffer>;
  await setAgreements(table, holder, { firstReviewWithinHours: 4, maxChangedLines: 400 });
  await updateTeamNudge(
    table,
    holder,
    { hour: 9, email: true, slackWebhookUrl: sink.webhookUrl(`demo/${holder.teamId}`) },
    { key: await key(), now: new Date(), allowLoopback: true },
  );
}

export async function nudgeNow(
  stack: LocalStack,
  table: TableRef,
  installationId: number,
  recipient: string | undefined,
): Promise<MorningNudge['day'] | undefined> {
  const { queued } = (await stack.runScheduleNow(nudgeDispatcherFunction, {
    mode: 'now',
    installationId,
  })) as { queued: Pick<MorningNudge, 'teamId' | 'day'>[] };
  const [nudge] = queued;
  if (!nudge) return undefined;
  const awaited = [slackRecipient, ...(recipient ? [recipient] : [])];
  for (const to of awaited) {
    const record = keys.sentEmail(installationId, nudgeKey(nudge.day, nudge.teamId), to);
    for (let waited = 0; ; waited += 250) {
      const { Item } = await table.db.send(
        new GetCommand({ TableName: table.tableName, Key: record }),
      );
      if (Item?.state === 'sent') break;
      if (waited > 60_000) throw new Error(`no morning nudge to ${to} after a minute`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return nudge.day;
}
