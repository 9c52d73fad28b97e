import { describe, expect, it } from 'vitest';
import { repositoryIncidents } from '#shared/store/delivery-history.ts';
import { clearDirtyWeeks, listDirtyWeeks } from '#shared/store/dirty-weeks.ts';
import { updateSettings } from '#shared/store/settings.ts';
import { useLocalStack } from '../support/local-stack.ts';
import { installationPayload, issuePayload, repository } from '../support/payloads.ts';

const installationId = 1515;
const repo = repository(15_150, 'checkout');
const harness = useLocalStack();

const outage = {
  number: 88,
  title: 'Checkout down after deploying abc1234',
  body: 'Began with #41.',
  labels: ['Incident', 'sev1'],
  // Thursday 26 November 2026, ISO week 48.
  createdAt: '2026-11-26T10:00:00Z',
};

const incidents = () => repositoryIncidents(harness.table, installationId, repo.id);
const marks = async () =>
  (await listDirtyWeeks(harness.table, installationId)).map((mark) => mark.week);

describe('issue webhooks', () => {
  it('keeps an issue labelled as an incident, as its latest event shows it, and forgets it when the label goes', async () => {
    await harness.send('installation', installationPayload('created', installationId, [repo]));
    await harness.drain(harness.stack.aws.syncQueueUrl);
    await clearDirtyWeeks(
      harness.table,
      installationId,
      await listDirtyWeeks(harness.table, installationId),
    );

    const opened = await harness.send(
      'issues',
      issuePayload('opened', installationId, repo, outage),
    );

    expect(opened.status).toBe(200);
    expect(await incidents()).toEqual([
      {
        number: 88,
        title: outage.title,
        body: outage.body,
        labels: ['Incident', 'sev1'],
        openedAt: outage.createdAt,
        closedAt: null,
      },
    ]);
    // Its week, and the two before whose deployments it may blame, are rolled up again.
    expect((await marks()).sort()).toEqual(['2026-W46', '2026-W47', '2026-W48']);

    const closedAt = '2026-11-26T13:30:00Z';
    await harness.send(
      'issues',
      issuePayload('closed', installationId, repo, { ...outage, closedAt }),
    );
    expect((await incidents())[0]?.closedAt).toBe(closedAt);

    await harness.send(
      'issues',
      issuePayload('unlabeled', installationId, repo, { ...outage, labels: ['sev1'], closedAt }),
    );
    expect(await incidents()).toEqual([]);
  });

  it('ignores an issue without an incident label, and follows the installation’s own pattern', async () => {
    const bug = { ...outage, number: 89, title: 'Typo', labels: ['bug'] };
    await harness.send('issues', issuePayload('opened', installationId, repo, bug));
    expect(await incidents()).toEqual([]);

    await updateSettings(harness.table, installationId, { incidentLabels: '^bug$' });
    await harness.send('issues', issuePayload('labeled', installationId, repo, bug));
    expect((await incidents()).map((incident) => incident.number)).toEqual([89]);

    await harness.send('issues', issuePayload('deleted', installationId, repo, bug));
    expect(await incidents()).toEqual([]);
  });

  it('refuses an issue event without the issue with 400 and stores nothing', async () => {
    const before = (await harness.scan()).length;
    const answer = await harness.send('issues', {
      action: 'opened',
      installation: { id: installationId },
      repository: repo,
    });
    expect(answer.status).toBe(400);
    expect((await harness.scan()).length).toBe(before);
  });
});
