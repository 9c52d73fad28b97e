import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { finishedWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { handleNotification } from '#shared/notify/handle-notification.ts';
import { sesSender } from '#shared/notify/ses-sender.ts';
import type { Notification } from '#shared/queue/notification.ts';
import { getInstallation } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { installationPayload, pullRequestPayload, repository } from '../support/payloads.ts';
import { until } from '../support/until.ts';

const installationId = 5150;
const harness = useLocalStack();

interface SentEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

/** What the embedded SES received, as its web inbox lists it. */
async function inbox(): Promise<SentEmail[]> {
  const response = await fetch(`${harness.stack.aws.sesInboxUrl}/store`);
  return ((await response.json()) as { emails: SentEmail[] }).emails;
}

const lastWeek = finishedWeek(new Date(), 'UTC');
const { start } = weekBounds(lastWeek, 'UTC');
const at = (hours: number) => new Date(start.getTime() + hours * 3_600_000).toISOString();
const api = repository(51, 'api');
const web = repository(52, 'web');

async function notify(event: Notification): Promise<void> {
  await harness.sqs.send(
    new SendMessageCommand({
      QueueUrl: harness.stack.aws.notifyQueueUrl,
      MessageBody: JSON.stringify(event),
    }),
  );
}

/** The notifier's own wiring, aimed at the embedded SES, for calling it directly. */
const notifierDeps = () => ({
  table: harness.table,
  send: sesSender(new SESv2Client({}), 'flowmeter@flowmeter.example'),
  githubWebUrl: 'https://github.com',
  unsubscribeBaseUrl: `${harness.stack.url}/unsubscribe`,
  now: () => new Date(),
  log: () => undefined,
});

const digestEvent = (week: string): Notification => ({
  version: 1,
  kind: 'weekly-digest',
  idempotencyKey: `digest:${installationId}:${week}`,
  installationId,
  week,
});

async function completeBackfill(repo: ReturnType<typeof repository>, pullRequests: number) {
  await harness.db.send(
    new UpdateCommand({
      TableName: harness.stack.aws.tableName,
      Key: keys.repository(installationId, repo.id),
      UpdateExpression:
        'SET syncStatus = :complete, syncMode = :backfill, syncCompleted = :n, syncRunStartedAt = :start, syncFinishedAt = :end',
      ExpressionAttributeValues: {
        ':complete': 'complete',
        ':backfill': 'backfill',
        ':n': pullRequests,
        ':start': '2026-11-20T10:00:00.000Z',
        ':end': '2026-11-20T10:03:00.000Z',
      },
    }),
  );
}

const syncCompleted = (repo: ReturnType<typeof repository>): Notification => ({
  version: 1,
  kind: 'sync-completed',
  idempotencyKey: `delivery-1:${repo.id}:completed`,
  installationId,
  repository: { id: repo.id, fullName: repo.full_name },
  mode: 'backfill',
  outcome: 'complete',
  pullRequests: 3,
  finishedAt: '2026-11-20T10:03:00.000Z',
});

describe('notifier', () => {
  it('sends nothing, and says so, while an installation has no recipients', async () => {
    await harness.send('installation', installationPayload('created', installationId, [api, web]));
    const logged: string[] = [];
    const outcome = await handleNotification(digestEvent(lastWeek), {
      ...notifierDeps(),
      log: (message) => logged.push(message),
    });
    expect(outcome).toEqual({ sent: 0, skipped: 'no recipients' });
    expect(logged).toEqual([expect.stringMatching(/^no recipients set; no email sent/)]);
    expect(await inbox()).toEqual([]);
  });

  it('refuses recipients that are not addresses and time zones that do not exist, changing nothing', async () => {
    await expect(
      updateSettings(harness.table, installationId, {
        recipients: ['lead@acme.example', 'not-an-address'],
      }),
    ).rejects.toThrow(/not an email address: not-an-address/);
    await expect(
      updateSettings(harness.table, installationId, { timeZone: 'Mars/Olympus' }),
    ).rejects.toThrow(/not an IANA time zone/);
    await expect(
      updateSettings(harness.table, 999_999, { recipients: ['a@b.example'] }),
    ).rejects.toThrow(/no installation 999999/);
    expect((await getInstallation(harness.table, installationId))?.recipients).toBeUndefined();
  });

  it('mails the weekly digest once per recipient, with the numbers the metrics API shows', async () => {
    await updateSettings(harness.table, installationId, {
      recipients: ['Lead@Acme.example', 'cto@acme.example', 'lead@acme.example'],
    });
    for (const [repo, number, merged] of [
      [api, 1, 10],
      [api, 2, 30],
      [web, 3, 50],
    ] as const) {
      await harness.send(
        'pull_request',
        pullRequestPayload(installationId, repo, {
          number,
          updatedAt: at(merged),
          mergedAt: at(merged),
          title: `Ship <feature> ${number}`,
        }),
      );
    }
    await harness.stack.rollUpNow(installationId);
    await until(async () => (await inbox()).length >= 2);

    const emails = await inbox();
    expect(emails.map((email) => email.destination.to[0]).sort()).toEqual([
      'cto@acme.example',
      'lead@acme.example',
    ]);
    const metrics = (await (
      await fetch(`${harness.stack.url}/api/installations/${installationId}/metrics/weekly?weeks=1`)
    ).json()) as {
      weeks: { week: string; organisation: { merged: number; cycleTime: { median: number } } }[];
    };
    const [week] = metrics.weeks;
    expect(week?.week).toBe(lastWeek);
    for (const email of emails) {
      expect(email.from).toBe('Flowmeter <flowmeter@flowmeter.example>');
      expect(email.subject).toBe(
        `Flowmeter weekly digest: acme, ${lastWeek} (${week?.organisation.merged} merged, cycle time ${week?.organisation.cycleTime.median.toFixed(1)} h)`,
      );
      expect(email.body.text).toMatch(new RegExp(`PRs merged\\s+${week?.organisation.merged}\\s`));
      expect(email.body.html).toContain('href="https://github.com/acme/web/pull/3"');
      expect(email.body.html).toContain('Ship &lt;feature&gt; 3');
      const header = (name: string) => email.headers?.find((h) => h.name === name)?.value;
      expect(header('List-Unsubscribe')).toMatch(
        new RegExp(`^<${harness.stack.url}/unsubscribe/${installationId}/[\\w-]+>$`),
      );
      expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }
  }, 60_000);

  it('sends a redelivered digest request to nobody twice, even when both copies arrive together', async () => {
    const before = (await inbox()).length;
    await Promise.all([notify(digestEvent(lastWeek)), notify(digestEvent(lastWeek))]);
    await notify(digestEvent(lastWeek));
    await until(async () => (await harness.drain(harness.stack.aws.notifyQueueUrl)).length === 0);
    // The poller had them first; give the last invocation time to finish.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await inbox()).length).toBe(before);
  }, 30_000);

  it('announces the first backfill once, when its last repository finishes', async () => {
    const before = (await inbox()).length;
    await completeBackfill(api, 2);
    await notify(syncCompleted(api));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await inbox()).length).toBe(before);

    await completeBackfill(web, 1);
    await notify(syncCompleted(web));
    await notify(syncCompleted(web));
    await notify(syncCompleted(api));
    await until(async () => (await inbox()).length === before + 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const emails = (await inbox()).slice(before);
    expect(emails).toHaveLength(2);
    expect(emails[0]?.subject).toBe('Flowmeter: acme is synced (3 pull requests)');
    expect(emails[0]?.body.text).toContain(
      'Flowmeter synced 3 pull requests from 2 repositories in 3 min.',
    );
  }, 30_000);

  it('unsubscribes with one click on POST, only asks on GET, and stays unsubscribed', async () => {
    const email = (await inbox()).find((e) => e.destination.to[0] === 'cto@acme.example');
    const link = /<([^>]+)>/.exec(
      email?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value ?? '',
    )?.[1] as string;

    const asked = await fetch(link);
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('<form method="post">');
    expect((await getInstallation(harness.table, installationId))?.recipients).toHaveLength(2);

    for (let click = 0; click < 2; click++) {
      const done = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Unsubscribed');
    }
    const recipients = (await getInstallation(harness.table, installationId))?.recipients ?? [];
    expect(recipients.map((r) => r.email)).toEqual(['lead@acme.example']);

    // The next digest goes to the one recipient left.
    const before = (await inbox()).length;
    const twoWeeksAgo = finishedWeek(new Date(Date.now() - 7 * 86_400_000), 'UTC');
    await notify(digestEvent(twoWeeksAgo));
    await until(async () => (await inbox()).length === before + 1);
    expect((await inbox()).at(-1)?.destination.to).toEqual(['lead@acme.example']);

    expect((await fetch(`${harness.stack.url}/unsubscribe/${installationId}/short`)).status).toBe(
      404,
    );
  }, 30_000);

  it('gives the claim back when SES cannot be reached, so the retry sends the email', async () => {
    const week = finishedWeek(new Date(Date.now() - 21 * 86_400_000), 'UTC');
    const before = (await inbox()).length;
    // The real SES client, aimed at a port nothing listens on.
    const unreachable = new SESv2Client({ endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    await expect(
      handleNotification(digestEvent(week), {
        ...notifierDeps(),
        send: sesSender(unreachable, 'flowmeter@flowmeter.example'),
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await inbox()).length).toBe(before);

    expect(await handleNotification(digestEvent(week), notifierDeps())).toEqual({ sent: 1 });
    const emails = (await inbox()).slice(before);
    expect(emails.map((email) => email.destination.to)).toEqual([['lead@acme.example']]);
    expect(emails[0]?.subject).toContain(week);
  });
});
