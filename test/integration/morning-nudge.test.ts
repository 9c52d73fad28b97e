import { SESv2Client } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSlackUrlKey } from '#infra/local/local-stack.ts';
import { type SlackSink, startSlackSink } from '#infra/local/slack-sink.ts';
import { slackUrlKeySource } from '#shared/aws/slack-url-key.ts';
import { needsAttentionSection } from '#shared/dashboard/needs-attention.ts';
import { TeamDirectory } from '#shared/metrics/team-attribution.ts';
import { sendMorningNudge } from '#shared/notify/morning-nudge.ts';
import { sesSender } from '#shared/notify/ses-sender.ts';
import { slackPoster } from '#shared/notify/slack-sender.ts';
import { dispatchNudges } from '#shared/nudges/dispatch-nudges.ts';
import type { MorningNudge } from '#shared/queue/morning-nudge.ts';
import { getInstallation } from '#shared/store/installations.ts';
import { readNudgeTeam, updateTeamNudge } from '#shared/store/nudge-settings.ts';
import { openSpell } from '#shared/store/team-members.ts';
import { updateTeamSettings } from '#shared/store/team-settings.ts';
import { readTeams, recordTeam } from '#shared/store/teams.ts';
import { dyingTable } from '../support/dying-table.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { installationPayload, pullRequestPayload, repository } from '../support/payloads.ts';
import { until } from '../support/until.ts';

const installationId = 5290;
const platform = 7;
const holder = { installationId, teamId: platform };
const recipient = 'platform-lead@acme.example';
const harness = useLocalStack();
let sink: SlackSink;
// Wednesday 2 December 2026, 09:00 on the team's clock (the organisation's: UTC).
const morning = new Date('2026-12-02T09:00:00Z');

async function inbox(): Promise<{ destination: { to: string[] }; subject: string }[]> {
  const response = await fetch(`${harness.stack.aws.sesInboxUrl}/store`);
  return (
    (await response.json()) as { emails: { destination: { to: string[] }; subject: string }[] }
  ).emails;
}
const nudgeEmails = async () =>
  (await inbox()).filter((email) => email.destination.to.includes(recipient));

async function notificationsDone(): Promise<void> {
  await until(async () => {
    const { Attributes = {} } = await harness.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: harness.stack.aws.notifyQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Attributes.ApproximateNumberOfMessages === '0' &&
      Attributes.ApproximateNumberOfMessagesNotVisible === '0'
    );
  }, 30_000);
}

/** The notifier's wiring, called directly: a crash can be put between its writes. */
const slackKey = slackUrlKeySource({ SLACK_URL_KEY: localSlackUrlKey }) as () => Promise<Buffer>;
const deps = (table = harness.table) => ({
  table,
  send: sesSender(new SESv2Client({}), 'flowmeter@flowmeter.example'),
  githubWebUrl: 'https://github.com',
  unsubscribeBaseUrl: `${harness.stack.url}/unsubscribe`,
  now: () => new Date(),
  log: () => undefined,
  nudge: {
    dashboardUrl: harness.stack.url,
    slackKey,
    postToSlack: slackPoster({ minTimeoutMs: 10 }),
  },
});

/** The message the dispatcher queued this morning, for another day. */
let queued: MorningNudge;
const on = (day: string): MorningNudge => ({
  ...queued,
  day,
  idempotencyKey: `nudge:${installationId}:${platform}:${day}`,
});

describe('the morning nudge', () => {
  beforeAll(async () => {
    sink = await startSlackSink();
    const repo = repository(71, 'api');
    await harness.send('installation', installationPayload('created', installationId, [repo]));
    const at = '2026-11-01T00:00:00Z';
    await recordTeam(
      harness.table,
      installationId,
      {
        teamId: platform,
        slug: 'platform',
        name: 'Platform',
        privacy: 'visible',
        parentTeamId: null,
      },
      at,
    );
    // The payloads' author, 501, is in the team.
    await openSpell(
      harness.table,
      installationId,
      { teamId: platform, userId: 501, login: 'author', role: 'member' },
      { joinedAt: at, at },
    );
    await updateTeamSettings(harness.table, installationId, platform, { recipients: [recipient] });
    await updateTeamNudge(
      harness.table,
      holder,
      { hour: 9, slackWebhookUrl: sink.webhookUrl('T1/B1/platform') },
      { key: await slackKey(), now: new Date(), allowLoopback: true },
    );
    // Open since 1 November, never reviewed.
    await harness.send(
      'pull_request',
      pullRequestPayload(installationId, repo, { number: 1, updatedAt: '2026-11-30T08:00:00Z' }),
    );
  });
  afterAll(async () => {
    await sink?.stop();
  });

  it('keeps the URL sealed and shows it back only masked', async () => {
    const team = await readNudgeTeam(harness.table, installationId, platform);
    expect(team?.nudge?.slack?.hint).toBe(`${sink.url}/…form`);
    expect(JSON.stringify(team?.nudge)).not.toContain('/services/');
  });

  it("shows what is waiting on the team's page as Needs attention, of the repositories the person sees", async () => {
    const installation = await getInstallation(harness.table, installationId);
    if (!installation) throw new Error('installation not recorded');
    const { teams, spells } = await readTeams(harness.table, installationId);
    const team = { teamId: platform, directory: new TeamDirectory(teams, spells) };
    const deps = {
      table: harness.table,
      now: () => morning,
      signIn: { webUrl: 'https://github.com' },
    };
    const access = (listed: number[]) => ({
      owner: false,
      roleNotGranted: false,
      organisationMember: true,
      listed: new Set(listed),
    });
    const seen = await needsAttentionSection(
      deps as never,
      { installation, access: access([71]) },
      team,
    );
    expect(seen).toContain('<a href="https://github.com/acme/api/pull/1">#1 Change 1</a>');
    expect(seen).toContain('Waiting for a first review');
    expect(seen).not.toContain('by author');
    const withheld = await needsAttentionSection(
      deps as never,
      { installation, access: access([]) },
      team,
    );
    expect(withheld).toContain('Nothing is waiting.');
  });

  it('sends each team one nudge, by email and to Slack, when the schedule fires twice', async () => {
    const url = harness.stack.aws.notifyQueueUrl;
    const first = await dispatchNudges(harness.table, harness.sqs, url, morning);
    const second = await dispatchNudges(harness.table, harness.sqs, url, morning);
    expect(first).toEqual(second);
    expect(first.map((nudge) => [nudge.teamId, nudge.day, nudge.total])).toEqual([
      [platform, '2026-12-02', 1],
    ]);
    queued = first[0] as MorningNudge;
    expect(
      await dispatchNudges(harness.table, harness.sqs, url, new Date('2026-12-02T10:00:00Z')),
    ).toEqual([]);
    await notificationsDone();
    expect(sink.messages().map((message) => message.payload.text)).toEqual([
      '1 pull request waiting for Platform',
    ]);
    expect((await nudgeEmails()).map((email) => email.subject)).toEqual([
      '1 pull request waiting for Platform (acme), 2026-12-02',
    ]);
  });

  it('posts nothing again after a crash between the post and its record', async () => {
    const dies = dyingTable(
      harness.table,
      (command) =>
        command.constructor.name === 'UpdateCommand' &&
        String(command.input.Key?.sk).endsWith('#slack'),
    );
    await expect(sendMorningNudge(on('2026-12-03'), deps(dies))).rejects.toThrow(
      'the process died',
    );
    expect(await sendMorningNudge(on('2026-12-03'), deps())).toEqual({ sent: 0 });
    expect(sink.messages()).toHaveLength(2);
    expect(await nudgeEmails()).toHaveLength(2);
  });

  it('retries a Slack 500 and posts once it answers 200', async () => {
    sink.fail({ status: 500, body: 'rollup_error', times: 1 });
    const posts = sink.posts();
    expect(await sendMorningNudge(on('2026-12-04'), deps())).toEqual({ sent: 2 });
    expect(sink.posts()).toBe(posts + 2);
    expect(sink.messages()).toHaveLength(3);
  });

  it('records a revoked webhook (404 no_service) and does not try it again', async () => {
    sink.fail({ status: 404, body: 'no_service', times: 2 });
    const posts = sink.posts();
    expect(await sendMorningNudge(on('2026-12-07'), deps())).toEqual({ sent: 1 });
    expect(sink.posts()).toBe(posts + 1);
    const team = await readNudgeTeam(harness.table, installationId, platform);
    expect(team?.nudge?.slack?.failure).toEqual({
      at: expect.any(String),
      status: 404,
      error: 'no_service',
    });
    // The next day's email goes; its Slack post is not tried.
    expect(await sendMorningNudge(on('2026-12-08'), deps())).toEqual({ sent: 1 });
    expect(sink.posts()).toBe(posts + 1);
    expect(sink.messages()).toHaveLength(3);
  });
});
