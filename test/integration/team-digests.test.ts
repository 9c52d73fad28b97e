import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { finishedWeek, weekBounds } from '#shared/metrics/time-zone.ts';
import { dispatchRollups } from '#shared/rollup/dispatch-rollups.ts';
import { getInstallation } from '#shared/store/installations.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { updateTeamSettings } from '#shared/store/team-settings.ts';
import { readTeams, type StoredTeam } from '#shared/store/teams.ts';
import { peopleBehind, recomputedMetrics } from '../support/recomputed-metrics.ts';
import { settingsCli } from '../support/settings-cli.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';
import { weeklyMetricItems } from '../support/weekly-metric-items.ts';

const installationId = 2626;
const github = useStackWithGitHub(
  {
    seed: 2626,
    installationId,
    organisation: 'teamed',
    repositories: [
      { name: 'api', pullRequests: 300 },
      { name: 'web', pullRequests: 150 },
    ],
  },
  { daysBack: 0 },
);
const harness = github.harness;

interface SentEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  headers?: { name: string; value: string }[];
}

async function inbox(): Promise<SentEmail[]> {
  const response = await fetch(`${harness.stack.aws.sesInboxUrl}/store`);
  return ((await response.json()) as { emails: SentEmail[] }).emails;
}

/** Who got which digest: recipient → subjects. */
async function received(): Promise<Record<string, string[]>> {
  const got: Record<string, string[]> = {};
  for (const email of await inbox())
    for (const to of email.destination.to) got[to] = [...(got[to] ?? []), email.subject];
  return got;
}

/** Until the rollup and notification queues hold nothing, in flight or waiting. */
async function quiet(): Promise<void> {
  await until(async () => {
    for (const QueueUrl of [harness.stack.aws.rollupQueueUrl, harness.stack.aws.notifyQueueUrl]) {
      const { Attributes = {} } = await harness.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      if (
        Attributes.ApproximateNumberOfMessages !== '0' ||
        Attributes.ApproximateNumberOfMessagesNotVisible !== '0'
      )
        return false;
    }
    return true;
  }, 60_000);
}

/** The hourly schedule firing at `now`, twice (a schedule may deliver twice). */
async function scheduleFiresAt(now: Date) {
  const url = harness.stack.aws.rollupQueueUrl;
  const jobs = await dispatchRollups(harness.table, harness.sqs, url, now, 'scheduled');
  await dispatchRollups(harness.table, harness.sqs, url, now, 'scheduled');
  return jobs;
}

/** Monday 06:00 in `timeZone` right after its last finished week: when that week's digests go. */
function mondayMorning(timeZone: string): { week: string; at: Date } {
  const week = finishedWeek(new Date(), timeZone);
  return { week, at: new Date(weekBounds(week, timeZone).end.getTime() + 6 * 3_600_000) };
}

describe('team digests', () => {
  let platform: StoredTeam;
  let tokyo: StoredTeam;

  it('sends each team its own digest on its own Monday morning, to its recipients only, once', async () => {
    await github.installAndSync();
    const { teams } = await readTeams(harness.table, installationId);
    const [first, second] = teams.filter((team) => team.deletedAt === null);
    if (!first || !second) throw new Error('the simulator gave fewer than two teams');
    [platform, tokyo] = [first, second];
    await updateSettings(harness.table, installationId, { recipients: ['lead@teamed.example'] });
    // One address on the organisation's and a team's list gets each digest once.
    await updateTeamSettings(harness.table, installationId, platform.teamId, {
      recipients: ['one@teamed.example', 'lead@teamed.example'],
    });
    await updateTeamSettings(harness.table, installationId, tokyo.teamId, {
      recipients: ['two@teamed.example'],
      timeZone: 'Asia/Tokyo',
    });
    expect((await getInstallation(harness.table, installationId))?.teamTimeZones).toEqual({
      [tokyo.teamId]: 'Asia/Tokyo',
    });

    // Monday 06:00 in Tokyo is Sunday 21:00 in UTC, the organisation's zone: only the Tokyo team's digest is due.
    const inTokyo = mondayMorning('Asia/Tokyo');
    const tokyoJobs = await scheduleFiresAt(inTokyo.at);
    expect(tokyoJobs.map((job) => [job.week, job.digestTimeZone])).toEqual([
      [inTokyo.week, 'Asia/Tokyo'],
    ]);
    await quiet();
    expect(await received()).toEqual({
      'two@teamed.example': [expect.stringContaining(`${tokyo.name} (teamed), ${inTokyo.week}`)],
    });

    const inUtc = mondayMorning('UTC');
    const utcJobs = await scheduleFiresAt(inUtc.at);
    expect(utcJobs.map((job) => [job.week, job.digestTimeZone])).toEqual([[inUtc.week, 'UTC']]);
    await quiet();
    expect(await received()).toEqual({
      'two@teamed.example': [expect.stringContaining(tokyo.name)],
      'one@teamed.example': [expect.stringContaining(`${platform.name} (teamed), ${inUtc.week}`)],
      'lead@teamed.example': expect.arrayContaining([
        expect.stringContaining(`digest: teamed, ${inUtc.week}`),
        expect.stringContaining(`${platform.name} (teamed), ${inUtc.week}`),
      ]),
    });
    expect((await received())['lead@teamed.example']).toHaveLength(2);
  }, 180_000);

  it("cuts a team's week in its own zone: its figures equal a recomputation over the Tokyo week from the exported data", async () => {
    const exported = exportDataset(github.sim.dataset);
    // Flowmeter's first reading counts everyone in the teams they are in (the open intervals), a child team's people in its parents too.
    const parentOf = new Map(exported.teams.map((team) => [team.slug, team.parent]));
    const members = new Set<number>();
    for (const membership of exported.teamMemberships.filter((m) => m.leftAt === null))
      for (let slug: string | null | undefined = membership.team; slug; slug = parentOf.get(slug))
        if (slug === tokyo.slug) members.add(membership.user.id);
    const everyPr = exported.repositories.flatMap((repo) => repo.pullRequests);
    const theirs = everyPr.filter((pr) => peopleBehind(pr).some((id) => members.has(id)));
    const { week } = mondayMorning('Asia/Tokyo');
    const bounds = weekBounds(week, 'Asia/Tokyo');
    // Review load: the reviews the team's people gave, on anyone's pull requests.
    const expected = recomputedMetrics(theirs, bounds.start, bounds.end, {
      of: everyPr,
      by: (reviewerId) => members.has(reviewerId),
    });
    const row = (await weeklyMetricItems(harness, installationId)).find(
      (item) => item.week === week && item.row === `team#${tokyo.teamId}`,
    );
    expect(row?.timeZone).toBe('Asia/Tokyo');
    expect(row?.metrics).toEqual(expected);
    const digest = (await inbox()).find(
      (email) => email.destination.to[0] === 'two@teamed.example',
    );
    expect(digest?.subject).toContain(`(${expected.merged} merged`);
    expect(digest?.body.text).toContain('(Asia/Tokyo)');
  });

  it("unsubscribes a team's recipient from the team's digest only", async () => {
    const digest = (await inbox()).find(
      (email) =>
        email.destination.to[0] === 'lead@teamed.example' && email.subject.includes(platform.name),
    );
    const link = /<([^>]+)>/.exec(
      digest?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value ?? '',
    )?.[1] as string;
    expect(link).toContain(`/unsubscribe/${installationId}/teams/${platform.teamId}/`);
    const done = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(await done.text()).toContain('for this team');
    const { teams } = await readTeams(harness.table, installationId);
    const recipientsOf = (teamId: number) =>
      teams.find((team) => team.teamId === teamId)?.settings.recipients.map((r) => r.email);
    expect(recipientsOf(platform.teamId)).toEqual(['one@teamed.example']);
    expect(
      (await getInstallation(harness.table, installationId))?.recipients?.map((r) => r.email),
    ).toEqual(['lead@teamed.example']);
  });

  it("shows and changes a team's settings with npm run settings -- --team, refusing what a team cannot set", async () => {
    const cli = (...flags: string[]) => settingsCli(harness.table, installationId, ...flags);
    const shown = await cli('--team', tokyo.slug);
    expect(shown.out).toContain(`team ${tokyo.slug} (${tokyo.name}) of teamed`);
    expect(shown.out).toMatch(/time zone +Asia\/Tokyo/);
    const back = await cli('--team', tokyo.slug, '--time-zone', '');
    expect(back.status).toBe(0);
    expect(back.out).toMatch(/time zone +UTC \(the organisation's\)/);
    expect((await getInstallation(harness.table, installationId))?.teamTimeZones).toEqual({});
    const unknown = await cli('--team', 'no-such-team');
    expect([unknown.status, unknown.err]).toEqual([
      1,
      expect.stringContaining('no team no-such-team'),
    ]);
    const notTheirs = await cli('--team', tokyo.slug, '--show-authors', 'true');
    expect([notTheirs.status, notTheirs.err]).toEqual([
      2,
      expect.stringContaining('not --show-authors'),
    ]);
    await cli('--team', tokyo.slug, '--time-zone', 'Asia/Tokyo');
  }, 60_000);

  it('refuses a bad team setting, storing nothing', async () => {
    await expect(
      updateTeamSettings(harness.table, installationId, tokyo.teamId, { timeZone: 'Mars/Base' }),
    ).rejects.toThrow(/not an IANA time zone/);
    await expect(
      updateTeamSettings(harness.table, installationId, 987_654, { recipients: ['a@b.example'] }),
    ).rejects.toThrow(/no team 987654/);
    const { teams } = await readTeams(harness.table, installationId);
    expect(teams.find((team) => team.teamId === tokyo.teamId)?.settings.timeZone).toBe(
      'Asia/Tokyo',
    );
  });
});
