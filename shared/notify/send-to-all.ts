import type { Recipient } from '../store/recipient.ts';
import { claimEmail, markEmailSent, releaseEmailClaim } from '../store/sent-emails.ts';
import type { TableRef } from '../store/table.ts';
import type { Email } from './email-parts.ts';
import type { SendEmail } from './ses-sender.ts';

/** What sending an email once to each recipient needs. */
export interface MailDependencies {
  table: TableRef;
  send: SendEmail;
  now: () => Date;
  log: (message: string, details: Record<string, unknown>) => void;
}

/**
 * Sends one email to every recipient at most once (`sent-emails.ts`): a
 * claim, the send, the mark; a failed send gives the claim back and throws,
 * so the retry sends it. Returns how many were sent now.
 */
export async function sendToAll(
  deps: MailDependencies,
  installationId: number,
  recipients: readonly Recipient[],
  unsubscribeBase: string,
  email: { emailKey: string; expiresAt?: number; render: (unsubscribeUrl: string) => Email },
): Promise<{ sent: number }> {
  let sent = 0;
  for (const recipient of recipients) {
    const ref = { installationId, emailKey: email.emailKey, recipient: recipient.email };
    const unsubscribeUrl = `${unsubscribeBase}/${recipient.unsubscribeToken}`;
    // Rendered before the claim: a rendering error must leave the email unclaimed, so the retry sends it.
    const rendered = email.render(unsubscribeUrl);
    const claim = await claimEmail(deps.table, ref, deps.now(), email.expiresAt);
    if (claim !== 'claimed') {
      if (claim === 'in-doubt')
        deps.log(
          'email claimed by another delivery, or one that stopped mid-send; not resent',
          ref,
        );
      continue;
    }
    let messageId: string;
    try {
      messageId = await deps.send({ to: recipient.email, email: rendered, unsubscribeUrl });
    } catch (error) {
      await releaseEmailClaim(deps.table, ref);
      throw error;
    }
    await markEmailSent(deps.table, ref, messageId, deps.now());
    deps.log('email sent', { ...ref, messageId });
    sent++;
  }
  return { sent };
}
