import { describe, expect, it } from 'vitest';
import type { SimRepository } from '#infra/local/github-sim/dataset.ts';
import { activityDelivery, deliveryOf, nextTag } from '#infra/local/github-sim/delivery.ts';
import { isoWeek } from '#shared/metrics/weeks.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { keys } from '#shared/store/keys.ts';
import { repositoryReleases } from '#shared/store/releases.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { until } from '../support/until.ts';

const installationId = 1616;
const github = useStackWithGitHub(
  {
    seed: 1616,
    installationId,
    organisation: 'relay',
    repositories: [{ name: 'app', pullRequests: 40 }],
  },
  { daysBack: 0, copilotMetrics: 'disabled' },
);
const harness = github.harness;
const repositoryId = () => github.sim.dataset.repositories[0]?.id ?? 0;
const stored = () => repositoryReleases(harness.table, installationId, repositoryId());
const outcome = async (guid: string) => (await harness.get(keys.delivery(guid)))?.outcome;
const clearMarks = async () =>
  clearDirtyWeeks(
    harness.table,
    installationId,
    await listDirtyWeeks(harness.table, installationId),
  );

describe('release webhooks', () => {
  it("stores a release published under the releases source, with its tag's commit read by the sync", async () => {
    await github.installAndSync();
    await updateSettings(harness.table, installationId, { deploymentSource: 'releases' });
    await clearMarks();
    const before = (await stored()).length;
    // The seed released every Friday: the next version follows the last.
    const tagName = nextTag(
      deliveryOf(github.sim.dataset, github.sim.dataset.repositories[0] as SimRepository).releases,
      false,
    );

    const [published, released] = await github.sim.activity.release('relay/app');

    expect([published, released].map((d) => [d?.action, d?.statusCode])).toEqual([
      ['published', 200],
      // GitHub sends it with `published`: acknowledged, not acted on twice.
      ['released', 202],
    ]);
    expect(await outcome(published?.guid ?? '')).toBe(`relay/app release ${tagName} published`);
    // The event names the tag only: the sync it asked for reads the commit the tag points at.
    await until(async () => (await stored()).length > before);
    const [tag] = (
      await simOctokit(github.sim).request('GET /repos/{owner}/{repo}/tags', {
        owner: 'relay',
        repo: 'app',
      })
    ).data;
    expect(tag?.name).toBe(tagName);
    expect((await stored()).at(-1)).toMatchObject({
      tagName,
      sha: tag?.commit.sha,
      prerelease: false,
    });
    const marked = (await listDirtyWeeks(harness.table, installationId)).map((mark) => mark.week);
    expect(marked).toContain(isoWeek(new Date()));
  });

  it('stores a pre-release as one, and as a release once it is made one', async () => {
    const [published] = await github.sim.activity.release('relay/app', { prerelease: true });
    const { tag_name } = JSON.parse(published?.body ?? '{}').release;
    await until(async () => (await stored()).some((release) => release.tagName === tag_name));
    const candidate = (await stored()).at(-1);
    expect(candidate).toMatchObject({ prerelease: true });

    const [edited, released] = await github.sim.activity.promoteRelease(
      'relay/app',
      candidate?.releaseId ?? 0,
    );

    expect([edited, released].map((d) => [d?.action, d?.statusCode])).toEqual([
      ['edited', 200],
      ['released', 202],
    ]);
    // The sync keeps what was edited since its window began (one published earlier too: unit test).
    await until(async () => (await stored()).at(-1)?.prerelease === false);
    expect((await stored()).at(-1)).toMatchObject({
      releaseId: candidate?.releaseId,
      publishedAt: candidate?.publishedAt,
    });
  });

  it('forgets a deleted release and marks the weeks it counted in', async () => {
    const release = (await stored()).at(-1);
    await clearMarks();

    const deleted = await github.sim.activity.deleteRelease('relay/app', release?.releaseId ?? 0);

    expect(deleted.statusCode).toBe(200);
    expect(await outcome(deleted.guid)).toBe(
      `relay/app release ${release?.tagName} deleted: forgotten`,
    );
    expect((await stored()).map((kept) => kept.releaseId)).not.toContain(release?.releaseId);
    const marked = (await listDirtyWeeks(harness.table, installationId)).map((mark) => mark.week);
    expect(marked).toContain(isoWeek(new Date(release?.publishedAt ?? 0)));
  });

  it('asks for no sync when the installation counts GitHub deployments', async () => {
    await updateSettings(harness.table, installationId, { deploymentSource: 'deployments' });

    const [published] = await github.sim.activity.release('relay/app', { prerelease: true });

    expect(published?.statusCode).toBe(200);
    expect(await outcome(published?.guid ?? '')).toMatch(
      /^relay\/app release v1\.\d+\.0-rc\.\d+: releases are not this installation's deployments$/,
    );
  });

  it('refuses a release event without the release with 400 and stores nothing', async () => {
    const before = await stored();
    const response = await harness.send('release', {
      action: 'deleted',
      installation: { id: installationId },
      repository: {
        id: repositoryId(),
        name: 'app',
        full_name: 'relay/app',
        owner: { login: 'relay', id: 1, type: 'Organization' },
      },
    });

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(/release/);
    expect(await stored()).toEqual(before);
  });

  it('refuses to change a release the seed made, which the simulator rebuilds on every change', async () => {
    const repo = github.sim.dataset.repositories[0] as SimRepository;
    const own = new Set(activityDelivery(github.sim.dataset, repo).releases.map((r) => r.id));
    const seeded = deliveryOf(github.sim.dataset, repo).releases.find(
      (release) => release.prerelease && !own.has(release.id),
    );
    expect(seeded).toBeDefined();

    await expect(github.sim.activity.promoteRelease('relay/app', seeded?.id ?? 0)).rejects.toThrow(
      `no pre-release ${seeded?.id}`,
    );
    expect(
      deliveryOf(github.sim.dataset, repo).releases.find((release) => release.id === seeded?.id),
    ).toMatchObject({ prerelease: true });
  });
});
