import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '#infra/local/github-sim/dataset.ts';
import { isoWeek, weeksTouched } from '#shared/metrics/weeks.ts';
import { type SyncCompleted, syncCompletedSchema } from '#shared/queue/sync-completed.ts';
import { table } from '#shared/resources.ts';
import { repositoryBranch, repositoryIncidents } from '#shared/store/delivery-history.ts';
import { repositoryDeployments } from '#shared/store/deployments.ts';
import { keys } from '#shared/store/keys.ts';
import { repositoryReleases } from '#shared/store/releases.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { storedPullRequests } from '../support/stored-pull-requests.ts';
import { until } from '../support/until.ts';
import { withoutMembers } from '../support/without-members.ts';

const installationId = 808;
const daysBack = 30;
const github = useStackWithGitHub(
  {
    seed: 808,
    installationId,
    organisation: 'backfilled',
    repositories: [
      { name: 'core', pullRequests: 900 },
      { name: 'docs', pullRequests: 40 },
    ],
  },
  // Copilot usage days and a first teams reading mark weeks too; this file is about the
  // sync's marks alone.
  {
    daysBack,
    readsNotifications: true,
    copilotMetrics: 'disabled',
    appPermissions: withoutMembers,
  },
);
const harness = github.harness;

describe('sync worker: backfill through the local stack', () => {
  it('installs, syncs every repository to complete, and stores the window field by field', async () => {
    await github.installAndSync();

    const windowStart = Date.now() - daysBack * 86_400_000;
    let agentPullRequests = 0;
    for (const repo of exportDataset(github.sim.dataset).repositories) {
      const expected = repo.pullRequests.filter(
        (pr) => Date.parse(pr.updatedAt ?? '') >= windowStart,
      );
      const stored = await storedPullRequests(harness.table, installationId, repo.id);
      expect(stored.map((pr) => pr.number).sort((a, b) => Number(a) - Number(b))).toEqual(
        expected.map((pr) => pr.number),
      );
      const byNumber = new Map(stored.map((pr) => [pr.number, pr]));
      for (const pr of expected) {
        expect(byNumber.get(pr.number)).toMatchObject({
          title: pr.title,
          state: pr.state.toLowerCase(),
          authorId: pr.author.id,
          createdAt: pr.createdAt,
          updatedAt: pr.updatedAt,
          mergedAt: pr.mergedAt,
          readyAt: pr.readyAt,
          additions: pr.additions,
          commitCount: pr.commitCount,
          firstCommitAt: pr.commits[0]?.authoredDate ?? null,
        });
        expect(Object.keys(byNumber.get(pr.number)?.reviews as object)).toHaveLength(
          pr.reviews.length,
        );
        expect(byNumber.get(pr.number)?.commitDates).toEqual(
          pr.commits.map((c) => c.committedDate),
        );
        expect(byNumber.get(pr.number)).not.toHaveProperty('followUp');
        // Copilot's coding agent's PRs keep the person assigned (the agent is no User in GraphQL).
        const asked = pr.assignees.filter((user) => user.type === 'User');
        if (pr.author.type === 'Bot' && asked.length > 0) {
          expect(byNumber.get(pr.number)?.assignees, `#${pr.number}`).toEqual(
            asked.map(({ id, login }) => ({ id, login })),
          );
          agentPullRequests++;
        } else expect(byNumber.get(pr.number)).not.toHaveProperty('assignees');
      }
      const state = await harness.get(keys.repository(installationId, repo.id));
      // The window's PR count came from GitHub's search, in the first chunk's request.
      expect(state).toMatchObject({
        syncStatus: 'complete',
        syncCompleted: expected.length,
        syncTotal: expected.length,
        syncMode: 'backfill',
      });
    }
    expect(agentPullRequests).toBeGreaterThan(0);
  }, 90_000);

  it("stores the window's deployments, releases, default branch and incidents as GitHub's REST API lists them", async () => {
    const octokit = simOctokit(github.sim);
    for (const repo of github.sim.dataset.repositories) {
      const [owner, name] = repo.fullName.split('/') as [string, string];
      const state = await harness.get(keys.repository(installationId, repo.id));
      // The run reads deployments and issues from a day before its PRs' window: statuses come late.
      const since = Date.parse(String(state?.syncSince)) - 86_400_000;
      const iso = (at: number) => new Date(at).toISOString();

      const deployments = (
        await octokit.paginate('GET /repos/{owner}/{repo}/deployments', { owner, repo: name })
      ).filter((deployment) => Date.parse(deployment.created_at) >= since);
      const expectedDeployments = await Promise.all(
        deployments.map(async (deployment) => ({
          deploymentId: deployment.id,
          environment: deployment.environment,
          sha: deployment.sha,
          createdAt: deployment.created_at,
          statuses: (
            await octokit.paginate(
              'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
              { owner, repo: name, deployment_id: deployment.id },
            )
          )
            .map((status) => ({ state: status.state, createdAt: status.created_at }))
            .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
        })),
      );
      const stored = await repositoryDeployments(harness.table, installationId, repo.id);
      expect(
        stored.map((deployment) => ({
          deploymentId: deployment.deploymentId,
          environment: deployment.environment,
          sha: deployment.sha,
          createdAt: deployment.createdAt,
          statuses: deployment.statuses.map(({ state, createdAt }) => ({ state, createdAt })),
        })),
      ).toEqual(expectedDeployments.sort((a, b) => a.deploymentId - b.deploymentId));
      expect(stored.length).toBeGreaterThan(0);

      // A commit's place is its count of ancestors: the whole history's length, less those after it.
      const history = await octokit.paginate('GET /repos/{owner}/{repo}/commits', {
        owner,
        repo: name,
        per_page: 100,
      });
      const expectedBranch = history
        .map((commit, index) => ({
          position: history.length - index,
          sha: commit.sha,
          at: commit.commit.committer?.date ?? '',
        }))
        .filter((commit) => Date.parse(commit.at) >= since)
        .reverse();
      const branch = await repositoryBranch(harness.table, installationId, repo.id);
      expect(branch.map(({ position, sha }) => ({ position, sha }))).toEqual(
        expectedBranch.map(({ position, sha }) => ({ position, sha })),
      );

      const incidents = await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
        owner,
        repo: name,
        state: 'all',
        labels: 'incident',
        since: iso(since),
      });
      expect(
        (await repositoryIncidents(harness.table, installationId, repo.id)).map((incident) => ({
          number: incident.number,
          openedAt: incident.openedAt,
          closedAt: incident.closedAt,
        })),
      ).toEqual(
        incidents
          .map((issue) => ({
            number: issue.number,
            openedAt: issue.created_at,
            closedAt: issue.closed_at,
          }))
          .sort((a, b) => a.number - b.number),
      );

      // Releases, newest created first, 50 a page: the first page always, then on while a
      // page's oldest was created inside the window; those published in it are kept, each
      // with the commit its tag names.
      const releases = await octokit.paginate('GET /repos/{owner}/{repo}/releases', {
        owner,
        repo: name,
        per_page: 100,
      });
      const tags = await octokit.paginate('GET /repos/{owner}/{repo}/tags', {
        owner,
        repo: name,
        per_page: 100,
      });
      const read: typeof releases = [];
      for (let page = 0; page * 50 < releases.length; page++) {
        const nodes = releases.slice(page * 50, page * 50 + 50);
        read.push(...nodes);
        if (Date.parse(nodes.at(-1)?.created_at ?? '') < since) break;
      }
      const storedReleases = await repositoryReleases(harness.table, installationId, repo.id);
      // A month of weekly releases: some in the window, some before it.
      expect(storedReleases.length).toBeGreaterThan(0);
      expect(storedReleases.length).toBeLessThan(releases.length);
      expect(storedReleases).toEqual(
        read
          .filter((release) => Date.parse(release.published_at ?? '') >= since)
          .map((release) => ({
            installationId,
            repositoryId: repo.id,
            repositoryFullName: repo.fullName,
            releaseId: release.id,
            tagName: release.tag_name,
            sha: tags.find((tag) => tag.name === release.tag_name)?.commit.sha,
            authorLogin: release.author.login,
            publishedAt: release.published_at,
            prerelease: release.prerelease,
          }))
          .sort((a, b) => String(a.publishedAt).localeCompare(String(b.publishedAt))),
      );
    }
  });

  it("stores a PR's head branch and, once merged, its merge commit as GitHub's REST API gives them", async () => {
    const repo = github.sim.dataset.repositories[1];
    if (!repo) throw new Error('the dataset has a second repository');
    const stored = await storedPullRequests(harness.table, installationId, repo.id);
    const octokit = simOctokit(github.sim);
    const [owner, name] = repo.fullName.split('/') as [string, string];
    for (const pr of stored) {
      const { data } = await octokit.rest.pulls.get({ owner, repo: name, pull_number: pr.number });
      expect({ headRef: pr.headRef, mergeCommitSha: pr.mergeCommitSha }).toEqual({
        headRef: data.head.ref,
        // While open, REST's merge_commit_sha is GitHub's test merge: not a commit of the branch.
        mergeCommitSha: data.merged_at ? data.merge_commit_sha : null,
      });
    }
    expect(stored.some((pr) => pr.mergeCommitSha)).toBe(true);
  });

  it('announces each finished sync once and marks the weeks it touched for the rollup', async () => {
    // Sent with a short delay (see worker-dependencies.ts): collect until both arrived.
    const events: SyncCompleted[] = [];
    await until(async () => {
      const bodies = await harness.drain(harness.stack.aws.notifyQueueUrl);
      events.push(...bodies.map((body) => syncCompletedSchema.parse(body)));
      return events.length >= 2;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    events.push(
      ...(await harness.drain(harness.stack.aws.notifyQueueUrl)).map((body) =>
        syncCompletedSchema.parse(body),
      ),
    );
    const { Items = [] } = await harness.db.send(
      new QueryCommand({
        TableName: harness.stack.aws.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :dirty)',
        ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
        ExpressionAttributeValues: { ':pk': `INST#${installationId}`, ':dirty': 'DIRTYWEEK#' },
      }),
    );

    expect(events.map((e) => [e.repository.fullName, e.mode, e.kind]).sort()).toEqual([
      ['backfilled/core', 'backfill', 'sync-completed'],
      ['backfilled/docs', 'backfill', 'sync-completed'],
    ]);
    const stored = await Promise.all(
      github.sim.dataset.repositories.map((repo) =>
        storedPullRequests(harness.table, installationId, repo.id),
      ),
    );
    // Deployments, their statuses, releases, default-branch commits and incidents mark their weeks too.
    const deliveryTimes = (
      await Promise.all(
        github.sim.dataset.repositories.map(async (repo) => [
          ...(
            await repositoryDeployments(harness.table, installationId, repo.id)
          ).flatMap((deployment) => [
            deployment.createdAt,
            ...deployment.statuses.map((s) => s.createdAt),
          ]),
          ...(
            await repositoryReleases(harness.table, installationId, repo.id)
          ).map((release) => release.publishedAt),
          ...(
            await repositoryIncidents(harness.table, installationId, repo.id)
          ).flatMap((incident) => [incident.openedAt, incident.closedAt ?? incident.openedAt]),
          ...(
            await repositoryBranch(harness.table, installationId, repo.id)
          ).map((commit) => commit.committedAt),
        ]),
      )
    ).flat();
    const marked = Items.map((item) => item.week as string).sort();
    const touched = new Set([
      ...weeksTouched(stored.flat() as unknown as Parameters<typeof weeksTouched>[0]),
      ...deliveryTimes.map((at) => isoWeek(at)),
    ]);
    expect(marked).toEqual(expect.arrayContaining([...touched]));
    // Besides: the weeks a deployment or incident can still fail or restore (two before it),
    // and those a commit can be shipped in (after it, up to now). None outside that.
    const earliest = [
      ...touched,
      isoWeek(new Date(Math.min(...deliveryTimes.map((at) => Date.parse(at))) - 14 * 86_400_000)),
    ].sort()[0] as string;
    const latest = isoWeek(new Date());
    expect(marked.filter((week) => week < earliest || week > latest)).toEqual([]);
  });

  it('reports per-repository progress on GET /api/installations/{id}/repos', async () => {
    const response = await fetch(`${harness.stack.url}/api/installations/${installationId}/repos`);
    const body = (await response.json()) as {
      repositories: { fullName: string; status: string; percent: number }[];
    };

    expect(response.status).toBe(200);
    expect(body.repositories.map((r) => [r.fullName, r.status, r.percent]).sort()).toEqual([
      ['backfilled/core', 'complete', 100],
      ['backfilled/docs', 'complete', 100],
    ]);
    expect((await fetch(`${harness.stack.url}/api/installations/abc/repos`)).status).toBe(400);
    expect((await fetch(`${harness.stack.url}/api/installations/999999/repos`)).status).toBe(404);
  });
});
