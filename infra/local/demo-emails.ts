import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { emailKeys } from '#shared/notify/handle-notification.ts';
import { keys } from '#shared/store/keys.ts';
import type { TableRef } from '#shared/store/table.ts';
import type { LocalStack } from './local-stack.ts';

/** Who gets the demo installation's emails (`npm run settings` changes it). */
export const demoRecipient = (organisation: string) => `lead@${organisation}.example`;

/**
 * What Monday 06:00 does, now, for the demo installation: the rollup of its
 * synced history and the digest of the last finished week. Resolves once
 * the digest and the sync-complete email are sent (in this run, or recorded
 * as sent by an earlier one), with the week and the subject of each email
 * the embedded inbox holds.
 */
export async function rollUpAndMail(
  stack: LocalStack,
  table: TableRef,
  installationId: number,
  recipient: string,
): Promise<{ week: string; inbox: string[] }> {
  const [job] = await stack.rollUpNow(installationId);
  if (!job?.week) throw new Error(`installation ${installationId} is not active`);
  for (const emailKey of [emailKeys.syncComplete, emailKeys.weeklyDigest(job.week)]) {
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
