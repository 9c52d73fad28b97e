import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Webhooks } from '@octokit/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import type { SyncJob } from '#shared/queue/sync-job.ts';
import { repositoryIncidents } from '#shared/store/delivery-history.ts';
import { repositoryDeployments } from '#shared/store/deployments.ts';
import { keys } from '#shared/store/keys.ts';
import { testSecret, useLocalStack } from '../support/local-stack.ts';
import { simOctokit } from '../support/sim-octokit.ts';

const harness = useLocalStack();
let sim: GitHubSimulator;
const installationId = 515;

beforeAll(async () => {
  sim = await startGitHubSimulator({
    dataset: {
      seed: 3,
      installationId,
      organisation: 'hooked',
      repositories: [{ name: 'svc', pullRequests: 10 }],
    },
    webhook: { url: harness.stack.webhookUrl, secret: testSecret },
  });
});
afterAll(async () => {
  await sim.stop();
});

function appClient() {
  return simOctokit(sim, { asApp: true });
}

describe('GitHub simulator webhooks', () => {
  it('sends installation.created that Flowmeter verifies and acts on', async () => {
    const delivery = await sim.activity.installed();

    expect(delivery.statusCode).toBe(200);
    expect(await harness.get(keys.installation(installationId))).toMatchObject({
      accountLogin: 'hooked',
      status: 'active',
    });
    expect(await harness.drain(harness.stack.aws.syncQueueUrl)).toHaveLength(1);
  });

  it('plays open → review → push → merge, each delivered and reflected by the API', async () => {
    const repo = sim.dataset.repositories[0];
    if (!repo) throw new Error('no repository');

    const opened = await sim.activity.open('hooked/svc');
    const number = repo.pullRequestCount;
    const reviewed = await sim.activity.review('hooked/svc', number, 'APPROVED');
    const pushed = await sim.activity.push('hooked/svc', number);
    const merged = await sim.activity.merge('hooked/svc', number);

    expect(
      [opened, reviewed, pushed, merged].map((d) => [d.event, d.action, d.statusCode]),
    ).toEqual([
      ['pull_request', 'opened', 200],
      ['pull_request_review', 'submitted', 200],
      ['pull_request', 'synchronize', 200],
      ['pull_request', 'closed', 200],
    ]);
    const stored = await harness.get(keys.pullRequest(installationId, repo.id, number));
    expect(stored).toMatchObject({ state: 'merged', commitCount: 2 });
    expect(Object.values(stored?.reviews as object)).toEqual([
      expect.objectContaining({ state: 'approved' }),
    ]);
    const client = simOctokit(sim);
    const { data } = await client.rest.pulls.get({
      owner: 'hooked',
      repo: 'svc',
      pull_number: number,
    });
    expect(data).toMatchObject({ merged: true, commits: 2, state: 'closed' });
  });

  it("delivers a pull request Copilot's coding agent opened for a person, stored with the person it counts for", async () => {
    const repo = sim.dataset.repositories[0];
    if (!repo) throw new Error('no repository');

    const opened = await sim.activity.open('hooked/svc', { byAgent: true });
    const number = repo.pullRequestCount;
    await sim.activity.review('hooked/svc', number, 'APPROVED');

    expect(opened.statusCode).toBe(200);
    const pr = sim.dataset.pullRequest(repo, number);
    const person = pr?.assignees.find((user) => user.type === 'User');
    if (!person) throw new Error('the agent opened it for no one');
    // As GitHub's REST names it: Copilot, assigned to the person and to itself; only the person kept.
    expect(await harness.get(keys.pullRequest(installationId, repo.id, number))).toMatchObject({
      authorLogin: 'Copilot',
      authorType: 'Bot',
      assignees: [{ id: person.id, login: person.login }],
    });
  });

  it('plays a deployment and an incident, which Flowmeter stores as the REST API lists them', async () => {
    const repo = sim.dataset.repositories[0];
    if (!repo) throw new Error('no repository');
    const client = simOctokit(sim);
    const where = { owner: 'hooked', repo: 'svc' };

    const deployed = await sim.activity.deploy('hooked/svc');
    const incident = await sim.activity.openIssue('hooked/svc', {
      title: 'Checkout down',
      body: 'Since the last deploy.',
      labels: ['incident'],
    });
    const [issue] = (await client.rest.issues.listForRepo({ ...where, labels: 'incident' })).data;
    const closed = await sim.activity.closeIssue('hooked/svc', issue?.number ?? 0);

    expect([...deployed, incident, closed].map((d) => [d.event, d.action, d.statusCode])).toEqual([
      ['deployment', 'created', 200],
      ['deployment_status', 'created', 200],
      ['deployment_status', 'created', 200],
      ['issues', 'opened', 200],
      ['issues', 'closed', 200],
    ]);
    const [listed] = (await client.rest.repos.listDeployments(where)).data;
    const statuses = (
      await client.rest.repos.listDeploymentStatuses({ ...where, deployment_id: listed?.id ?? 0 })
    ).data;
    const stored = await repositoryDeployments(harness.table, installationId, repo.id);
    expect(stored.at(-1)).toMatchObject({
      deploymentId: listed?.id,
      sha: listed?.sha,
      environment: 'production',
      statuses: statuses
        .map((status) => ({ state: status.state, createdAt: status.created_at }))
        .reverse(),
    });
    const { data: closedIssue } = await client.rest.issues.get({
      ...where,
      issue_number: issue?.number ?? 0,
    });
    expect(await repositoryIncidents(harness.table, installationId, repo.id)).toEqual([
      expect.objectContaining({
        number: closedIssue.number,
        openedAt: closedIssue.created_at,
        closedAt: closedIssue.closed_at,
      }),
    ]);
    // The production success asked for the repository's sync: its newest commits.
    const jobs = (await harness.drain(harness.stack.aws.syncQueueUrl)) as SyncJob[];
    expect(jobs.map((job) => job.trigger)).toEqual(['deployment']);
  });

  it('signs deliveries so that @octokit/webhooks accepts them', async () => {
    const receiver = new Webhooks({ secret: 'receiver-secret' });
    const received: string[] = [];
    receiver.on('pull_request.opened', ({ payload }) => {
      received.push(payload.repository.full_name);
    });
    const server = createServer(createNodeMiddleware(receiver, { path: '/hook' }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    sim.webhooks.configure({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      secret: 'receiver-secret',
    });
    try {
      const delivery = await sim.activity.open('hooked/svc');

      expect(delivery.statusCode).toBe(200);
      expect(received).toEqual(['hooked/svc']);
    } finally {
      sim.webhooks.configure({ url: harness.stack.webhookUrl, secret: testSecret });
      server.close();
    }
  });

  it('lists deliveries and redelivers one with the same GUID, which Flowmeter sees as a duplicate', async () => {
    const client = appClient();
    const { data: deliveries } = await client.request('GET /app/hook/deliveries', {
      per_page: 100,
    });
    const installation = deliveries.find((d) => d.event === 'installation');
    if (!installation) throw new Error('installation delivery missing');

    const attempt = await client.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
      delivery_id: Number(installation.id),
    });

    expect(attempt.status).toBe(202);
    const latest = sim.webhooks.deliveries.at(-1);
    expect(latest).toMatchObject({ guid: installation.guid, redelivery: true, statusCode: 200 });
    expect(await harness.drain(harness.stack.aws.syncQueueUrl)).toEqual([]);
  });

  it('pages the delivery log with a cursor', async () => {
    const pages = await appClient().paginate('GET /app/hook/deliveries', { per_page: 2 });

    expect(pages.map((d) => d.id)).toEqual(sim.webhooks.deliveries.map((d) => d.id).reverse());
  });
});
