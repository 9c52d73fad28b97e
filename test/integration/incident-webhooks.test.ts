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
const clearMarks = async () =>
  clearDirtyWeeks(
    harness.table,
    installationId,
    await listDirtyWeeks(harness.table, installationId),
  );

describe('issue webhooks', () => {
  it('keeps an issue labelled as an incident, as its latest event shows it, and forgets it when the label goes', async () => {
    await harness.send('installation', installationPayload('created', installationId, [repo]));
    await harness.drain(harness.stack.aws.syncQueueUrl);
    await clearMarks();

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

describe('issue webhooks out of order', () => {
  // An installation of its own, under the default incident pattern.
  const laterId = 1517;
  const closedAt = '2026-11-26T13:30:00Z';
  const incidents = () => repositoryIncidents(harness.table, laterId, repo.id);
  const marks = async () => (await listDirtyWeeks(harness.table, laterId)).map((mark) => mark.week);
  const clearMarks = async () =>
    clearDirtyWeeks(harness.table, laterId, await listDirtyWeeks(harness.table, laterId));

  it('leaves a closed incident closed when an older event of it arrives again, and marks nothing', async () => {
    const issue = { ...outage, number: 90 };
    await harness.send('issues', issuePayload('opened', laterId, repo, issue));
    await harness.send('issues', issuePayload('closed', laterId, repo, { ...issue, closedAt }));
    await clearMarks();

    // The `opened` again, under a new delivery id: GitHub's redelivery, an operator's, or a replay.
    const replayed = await harness.send('issues', issuePayload('opened', laterId, repo, issue));

    expect(replayed).toMatchObject({ status: 200, body: { outcome: 'processed' } });
    expect((await incidents()).find((incident) => incident.number === 90)?.closedAt).toBe(closedAt);
    expect(await marks()).toEqual([]);
  });

  it('does not bring back an incident whose label went, nor one never stored, from an older event', async () => {
    const labelled = { ...outage, number: 91 };
    const unlabelled = { ...labelled, labels: ['sev1'], updatedAt: '2026-11-26T11:00:00Z' };
    await harness.send('issues', issuePayload('labeled', laterId, repo, labelled));
    await harness.send('issues', issuePayload('unlabeled', laterId, repo, unlabelled));
    // Issue 92's `labeled` failed and is redelivered after its `unlabeled`.
    await harness.send(
      'issues',
      issuePayload('unlabeled', laterId, repo, { ...unlabelled, number: 92 }),
    );
    await clearMarks();

    for (const number of [91, 92]) {
      await harness.send('issues', issuePayload('labeled', laterId, repo, { ...labelled, number }));
    }

    expect((await incidents()).filter((incident) => incident.number >= 91)).toEqual([]);
    expect(await marks()).toEqual([]);
  });

  it('keeps a deleted issue forgotten, whatever the time of a copy that arrives after', async () => {
    const issue = { ...outage, number: 93 };
    await harness.send('issues', issuePayload('opened', laterId, repo, issue));
    // The deletion's copy may carry the `updated_at` of the event before it.
    await harness.send('issues', issuePayload('deleted', laterId, repo, issue));

    await harness.send('issues', issuePayload('opened', laterId, repo, issue));

    expect((await incidents()).filter((incident) => incident.number === 93)).toEqual([]);
  });
});
