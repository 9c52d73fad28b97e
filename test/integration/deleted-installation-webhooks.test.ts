import { describe, expect, it } from 'vitest';
import { keys } from '#shared/store/keys.ts';
import { useLocalStack } from '../support/local-stack.ts';
import {
  deploymentPayload,
  installationPayload,
  issuePayload,
  pullRequestPayload,
  repositoriesChangedPayload,
  repository,
} from '../support/payloads.ts';

const harness = useLocalStack();
const queued = () => harness.drain(harness.stack.aws.syncQueueUrl);

describe('webhooks of a deleted installation', () => {
  it('marks an installation deleted whatever the time its `installation.deleted` carries', async () => {
    await harness.send(
      'installation',
      installationPayload('created', 41, [], '2026-11-01T10:00:00Z'),
    );
    await harness.send(
      'installation',
      installationPayload('suspend', 41, [], '2026-11-03T10:00:00Z'),
    );

    // Uninstalled after a suspension whose delivery came late: the `deleted` shows an older time.
    const deleted = await harness.send(
      'installation',
      installationPayload('deleted', 41, [], '2026-11-02T10:00:00Z'),
    );

    expect(deleted.status).toBe(200);
    expect(await harness.get(keys.installation(41))).toMatchObject({ status: 'deleted' });
  });

  it('acknowledges every later event of it, older or newer, and changes nothing', async () => {
    const kept = repository(4200, 'kept');
    await harness.send(
      'installation',
      installationPayload('created', 42, [kept], '2026-11-01T10:00:00Z'),
    );
    await harness.send(
      'installation',
      installationPayload('deleted', 42, [kept], '2026-11-02T10:00:00Z'),
    );
    await queued();
    const before = await harness.scan();
    const unknown = repository(4201, 'unknown');

    const answers = await Promise.all([
      harness.send(
        'installation',
        installationPayload('created', 42, [kept, unknown], '2026-11-01T10:00:00Z'),
      ),
      harness.send(
        'installation',
        installationPayload('unsuspend', 42, [], '2026-11-05T10:00:00Z'),
      ),
      harness.send(
        'installation_repositories',
        repositoriesChangedPayload(42, [unknown], [], '2026-11-05T10:00:00Z'),
      ),
      harness.send(
        'pull_request',
        pullRequestPayload(42, kept, { number: 1, updatedAt: '2026-11-05T10:00:00Z' }),
      ),
      harness.send(
        'pull_request',
        pullRequestPayload(42, unknown, { number: 2, updatedAt: '2026-11-05T10:00:00Z' }),
      ),
      harness.send(
        'issues',
        issuePayload('opened', 42, kept, {
          number: 3,
          title: 'Down',
          labels: ['incident'],
          createdAt: '2026-11-05T10:00:00Z',
        }),
      ),
      harness.send(
        'deployment_status',
        deploymentPayload(
          42,
          kept,
          {
            id: 4,
            sha: 'a'.repeat(40),
            environment: 'production',
            createdAt: '2026-11-05T10:00:00Z',
          },
          { id: 5, state: 'success', createdAt: '2026-11-05T10:01:00Z' },
        ),
      ),
    ]);

    expect(await harness.scan()).toEqual(before);
    expect(await queued()).toEqual([]);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));
    expect(answers[0]?.body).toMatchObject({
      outcome: 'ignored',
      detail: 'installation 42 was deleted',
    });
  });
});
