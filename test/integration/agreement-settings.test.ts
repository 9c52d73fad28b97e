import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#shared/store/keys.ts';
import { readNudgeTeam } from '#shared/store/nudge-settings.ts';
import { recordTeam } from '#shared/store/teams.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { installationPayload, repository } from '../support/payloads.ts';
import { settingsCli } from '../support/settings-cli.ts';

const installationId = 2828;
const teamId = 28;
const harness = useLocalStack();
const settings = (...flags: string[]) => settingsCli(harness.table, installationId, ...flags);
const slackUrl = 'https://hooks.slack.com/services/T028/B028/wholeSecretTail9z';

describe('npm run settings: working agreements and the nudge', () => {
  beforeAll(async () => {
    await harness.send(
      'installation',
      installationPayload('created', installationId, [repository(28_001)]),
    );
    await recordTeam(
      harness.table,
      installationId,
      { teamId, slug: 'platform', name: 'Platform', privacy: 'visible', parentTeamId: null },
      '2026-11-01T00:00:00Z',
    );
  });

  it("sets the organisation's agreements, and a team's own over them, and shows both", async () => {
    const organisation = await settings(
      '--first-review-within-hours',
      '8',
      '--max-changed-lines',
      '400',
    );
    expect(organisation.status, organisation.err).toBe(0);
    expect(organisation.out).toContain(
      'agreements  first review within 8 h; at most 400 changed lines',
    );

    const team = await settings(
      '--team',
      'platform',
      '--first-review-within-hours',
      '4',
      '--no-merge-without-review',
      'true',
      '--cycle-time-within-days',
      '5',
    );
    expect(team.status, team.err).toBe(0);
    expect(team.out).toContain(
      "agreements  first review within 4 h; at most 400 changed lines (the organisation's); no merge without review; cycle time under 5 days",
    );
    expect((await readNudgeTeam(harness.table, installationId, teamId))?.agreements).toEqual({
      firstReviewWithinHours: 4,
      noMergeWithoutReview: true,
      cycleTimeWithinDays: 5,
    });

    const cleared = await settings('--team', 'platform', '--cycle-time-within-days', '');
    expect(cleared.out).not.toContain('cycle time under');
  });

  it("sets a team's nudge, sealing the Slack URL and showing only its hint", async () => {
    const set = await settings(
      '--team',
      'platform',
      '--nudge-hour',
      '9',
      '--idle-days',
      '4',
      '--nudge-email',
      'false',
      '--slack-webhook-url',
      slackUrl,
    );
    expect(set.status, set.err).toBe(0);
    expect(set.out).toContain(
      'nudge       09:00 UTC on working days; idle after 4 days; email off',
    );
    expect(set.out).toContain('slack       https://hooks.slack.com/…il9z');
    expect(set.out).not.toContain('wholeSecret');
    const stored = await harness.get(keys.team(installationId, teamId));
    expect(JSON.stringify(stored)).not.toContain('wholeSecret');
    expect((await harness.get(keys.installation(installationId)))?.nudgeHours).toEqual({
      [teamId]: 9,
    });

    const removed = await settings('--team', 'platform', '--slack-webhook-url', '');
    expect(removed.out).toContain('slack       (none)');
    const off = await settings('--team', 'platform', '--nudge-hour', '');
    expect(off.out).toContain('nudge       off');
  });

  it('refuses a bad value by name, storing nothing of the other flags given with it', async () => {
    const team = await harness.get(keys.team(installationId, teamId));
    const installation = await harness.get(keys.installation(installationId));
    // Each flag's refusals are in test/unit/settings-flags.test.ts; here, that one refused stores nothing.
    const refused = await settings(
      '--team',
      'platform',
      '--recipients',
      'lead@acme.example',
      '--max-changed-lines',
      '200',
      '--nudge-hour',
      '24',
    );
    expect([refused.status, refused.err]).toEqual([
      2,
      expect.stringContaining('--nudge-hour takes 0 to 23, not 24'),
    ]);
    const orgRefused = await settings(
      '--time-zone',
      'Europe/Berlin',
      '--cycle-time-within-days',
      '366',
    );
    expect(orgRefused.status).toBe(2);
    expect(orgRefused.err).toContain('cycle time under (days) must be at most 365');
    expect(await harness.get(keys.team(installationId, teamId))).toEqual(team);
    expect(await harness.get(keys.installation(installationId))).toEqual(installation);
  });
});
