import { describe, expect, it } from 'vitest';
import type { SyncJob } from '#shared/queue/sync-job.ts';
import { repositoryDeployments } from '#shared/store/deployments.ts';
import { listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { deploymentPayload, installationPayload, repository } from '../support/payloads.ts';

const installationId = 1414;
const repo = repository(14_140, 'shop');
const harness = useLocalStack();

const sha = 'a'.repeat(40);
const deployment = {
  id: 9_000_000_001,
  sha,
  environment: 'production',
  createdAt: '2026-11-23T10:00:00Z',
};
const inProgress = { id: 7_000_000_001, state: 'in_progress', createdAt: '2026-11-23T10:00:05Z' };
const success = { id: 7_000_000_002, state: 'success', createdAt: '2026-11-23T10:04:00Z' };

describe('deployment webhooks', () => {
  it('stores a deployment and its statuses, once, whatever order they arrive in', async () => {
    await harness.send('installation', installationPayload('created', installationId, [repo]));
    await harness.drain(harness.stack.aws.syncQueueUrl);

    // The success before its deployment's own event and before the status it followed.
    const answers = [
      await harness.send(
        'deployment_status',
        deploymentPayload(installationId, repo, deployment, success),
      ),
      await harness.send('deployment', deploymentPayload(installationId, repo, deployment)),
      await harness.send(
        'deployment_status',
        deploymentPayload(installationId, repo, deployment, inProgress),
      ),
      // GitHub redelivers with a new delivery id when asked: nothing is stored twice.
      await harness.send(
        'deployment_status',
        deploymentPayload(installationId, repo, deployment, success),
      ),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(await repositoryDeployments(harness.table, installationId, repo.id)).toEqual([
      {
        installationId,
        repositoryId: repo.id,
        repositoryFullName: 'acme/shop',
        deploymentId: deployment.id,
        environment: 'production',
        sha,
        ref: 'main',
        creatorLogin: 'github-actions[bot]',
        createdAt: deployment.createdAt,
        statuses: [
          {
            deploymentId: deployment.id,
            state: 'in_progress',
            createdAt: inProgress.createdAt,
          },
          {
            deploymentId: deployment.id,
            state: 'success',
            createdAt: success.createdAt,
          },
        ],
      },
    ]);
    // Its week (Monday 23 November 2026 is in ISO week 48) is marked for the rollup.
    expect(
      (await listDirtyWeeks(harness.table, installationId)).map((mark) => mark.week),
    ).toContain('2026-W48');
    // Each production success (the first and its redelivery) asks for the repository's sync,
    // for the default branch's newest commits; the status in progress does not.
    const jobs = (await harness.drain(harness.stack.aws.syncQueueUrl)) as SyncJob[];
    expect(jobs.map((job) => [job.repository.id, job.trigger])).toEqual([
      [repo.id, 'deployment'],
      [repo.id, 'deployment'],
    ]);
  });

  it('asks for no sync when a deployment outside production succeeds', async () => {
    const staging = { ...deployment, id: 9_000_000_003, environment: 'staging' };

    const answer = await harness.send(
      'deployment_status',
      deploymentPayload(installationId, repo, staging, { ...success, id: 7_000_000_003 }),
    );

    expect(answer.status).toBe(200);
    expect(await harness.drain(harness.stack.aws.syncQueueUrl)).toEqual([]);
  });

  it('refuses a deployment without a commit SHA with 400 and stores nothing', async () => {
    const before = (await harness.scan()).length;
    const answer = await harness.send(
      'deployment',
      deploymentPayload(installationId, repo, { ...deployment, id: 9_000_000_002, sha: 'main' }),
    );

    expect(answer).toEqual({
      status: 400,
      body: {
        error:
          '[flowmeter] deployment payload is missing what Flowmeter needs: deployment.sha: a 40-character commit SHA',
      },
    });
    expect((await harness.scan()).length).toBe(before);
  });
});
