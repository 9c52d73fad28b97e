import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Email } from './email-parts.ts';

export interface OutgoingEmail {
  to: string;
  email: Email;
  unsubscribeUrl: string;
}

export type SendEmail = (outgoing: OutgoingEmail) => Promise<string>;

/**
 * Sends through SES v2 (the embedded SES locally), one message per recipient
 * so each carries their own unsubscribe link, with the RFC 8058 one-click
 * unsubscribe headers mail providers expect of bulk senders. Returns SES's
 * message id.
 */
export function sesSender(
  ses: Pick<SESv2Client, 'send'>,
  from: string,
  configurationSet?: string,
): SendEmail {
  return async ({ to, email, unsubscribeUrl }) => {
    const result = await ses.send(
      new SendEmailCommand({
        // A display name, so inboxes show who it is; SES authorises the address inside.
        FromEmailAddress: `Flowmeter <${from}>`,
        Destination: { ToAddresses: [to] },
        ConfigurationSetName: configurationSet,
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: email.text, Charset: 'UTF-8' },
              Html: { Data: email.html, Charset: 'UTF-8' },
            },
            Headers: [
              { Name: 'List-Unsubscribe', Value: `<${unsubscribeUrl}>` },
              { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
            ],
          },
        },
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the email but returned no message id');
    return result.MessageId;
  };
}
