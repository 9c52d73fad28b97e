import { describe, expect, it } from 'vitest';
import { finishedWeek, shiftWeek } from '#shared/metrics/time-zone.ts';
import { table } from '#shared/resources.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { keys } from '#shared/store/keys.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { dyingTable } from '../support/dying-table.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { installationPayload, repository } from '../support/payloads.ts';
import { settingsCli } from '../support/settings-cli.ts';

const installationId = 6060;
const harness = useLocalStack();

const settings = (...flags: string[]) => settingsCli(harness.table, installationId, ...flags);

async function delivery() {
  const response = await fetch(`${harness.stack.url}/api/installations`);
  const body = (await response.json()) as {
    installations: { installationId: number; delivery: unknown }[];
  };
  return body.installations.find((inst) => inst.installationId === installationId)?.delivery;
}

describe('delivery settings', () => {
  it('refuses a pattern that is no regular expression, and a window out of range, changing nothing', async () => {
    await harness.send(
      'installation',
      installationPayload('created', installationId, [repository(60_600)]),
    );
    const before = await harness.get(keys.installation(installationId));

    const badPattern = await settings('--production-environments', '(prod');
    const badWindow = await settings('--incident-window-hours', '0');
    const badSource = await settings('--deployment-source', 'tags');

    expect(badPattern.status).toBe(2);
    expect(badPattern.err).toContain('production environments: not a regular expression: (prod');
    expect(badWindow.status).toBe(2);
    expect(badWindow.err).toContain('incidentWindowHours');
    expect(badSource.status).toBe(2);
    expect(badSource.err).toContain(
      'deployment source must be one of deployments, merges, releases, not tags',
    );
    expect(await harness.get(keys.installation(installationId))).toEqual(before);
  });

  it('refuses a pattern that cannot run in linear time, saying why and storing nothing', async () => {
    const before = await harness.get(keys.installation(installationId));

    const lookahead = await settings('--production-environments', '^(?!staging)');
    const backreference = await settings('--incident-labels', '(sev)\\1', '--time-zone', 'UTC');

    expect(lookahead.status).toBe(2);
    expect(lookahead.err).toContain(
      'production environments: ^(?!staging) is not supported: patterns run in linear time, without lookaheads',
    );
    expect(backreference.status).toBe(2);
    expect(backreference.err).toContain(
      'incident labels: (sev)\\1 is not supported: patterns run in linear time, without backreferences',
    );
    expect(await harness.get(keys.installation(installationId))).toEqual(before);
  });

  it('stores the patterns and the window given, keeps them through other changes, and shows them', async () => {
    const changed = await settings(
      '--production-environments',
      '^(prod|live)-',
      '--incident-labels',
      '^sev[12]$',
      '--incident-window-hours',
      '12',
    );
    expect(changed.status).toBe(0);
    expect(changed.out).toContain('deployments a GitHub deployment to a production environment');
    expect(changed.out).toContain('production  environments matching /^(prod|live)-/i');

    expect((await settings('--time-zone', 'Europe/Berlin')).status).toBe(0);
    const releases = await settings('--deployment-source', 'releases');
    expect(releases.out).toContain(
      "deployments each published release other than a pre-release, of its tag's commit",
    );
    expect(releases.out).toContain(
      '(a changed rule marks the last 12 finished weeks: the next rollup recomputes them)',
    );
    const merges = await settings('--deployment-source', 'merges');
    expect(merges.out).toContain('deployments each merge to the default branch');

    expect(await delivery()).toEqual({
      source: 'merges',
      productionPattern: '^(prod|live)-',
      incidentRules: { labelPattern: '^sev[12]$', windowHours: 12 },
    });
  });

  it('recomputes the last twelve finished weeks when what counts changes, and no week when nothing did', async () => {
    const marks = async () =>
      (await listDirtyWeeks(harness.table, installationId)).map((mark) => mark.week).sort();
    await clearDirtyWeeks(
      harness.table,
      installationId,
      await listDirtyWeeks(harness.table, installationId),
    );

    // The time zone is Europe/Berlin since the test before: its last finished week, and eleven before.
    expect((await settings('--incident-window-hours', '12')).status).toBe(0);
    expect(await marks()).toEqual([]);
    expect((await settings('--deployment-source', 'releases')).status).toBe(0);

    const last = finishedWeek(new Date(), 'Europe/Berlin');
    expect(await marks()).toEqual(
      Array.from({ length: 12 }, (_, back) => shiftWeek(last, -back)).sort(),
    );
  });

  it('keeps the marks of a rule change whose process died right after storing it', async () => {
    await clearDirtyWeeks(
      harness.table,
      installationId,
      await listDirtyWeeks(harness.table, installationId),
    );
    // The process dies at the first mark it writes once the change is stored.
    let stored = false;
    const dying = dyingTable(harness.table, (command) => {
      const sortKey = String(command.input.Key?.[table.sortKey] ?? '');
      if (sortKey === 'INSTALLATION' && command.constructor.name === 'UpdateCommand') stored = true;
      return stored && sortKey.startsWith('DIRTYWEEK#');
    });

    await expect(
      updateSettings(dying, installationId, { deploymentSource: 'merges' }),
    ).rejects.toThrow('the process died');

    expect(await delivery()).toMatchObject({ source: 'merges' });
    const last = finishedWeek(new Date(), 'Europe/Berlin');
    expect(
      (await listDirtyWeeks(harness.table, installationId)).map((mark) => mark.week).sort(),
    ).toEqual(Array.from({ length: 12 }, (_, back) => shiftWeek(last, -back)).sort());
  });
});
