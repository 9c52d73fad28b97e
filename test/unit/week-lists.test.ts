import { describe, expect, it } from 'vitest';
import { csvOf } from '#shared/dashboard/csv.ts';
import { mergedPullRequests } from '#shared/dashboard/merged-pull-requests.ts';
import {
  deploymentColumns,
  weekDeployments,
  weekIncidents,
} from '#shared/dashboard/week-deliveries.ts';
import { aiSignal } from '#shared/metrics/ai-assisted.ts';
import type { Deployment } from '#shared/metrics/deployment.ts';
import { type Incident, productionHistory } from '#shared/metrics/production-history.ts';
import { change, sha } from '../support/delivery-facts.ts';
import { people, pr } from '../support/pull-request-factory.ts';

/**
 * Hand-worked week lists. Week 48 of 2026 runs from Monday 23 November
 * 00:00 UTC to Monday 30 November; every expected row is read off the
 * timeline in the comments.
 */
const week = { start: new Date('2026-11-23T00:00:00Z'), end: new Date('2026-11-30T00:00:00Z') };
const webUrl = 'https://github.com/';

function deploy(id: number, commit: number, state: string, at: string): Deployment {
  return {
    installationId: 1,
    repositoryId: 1,
    repositoryFullName: 'acme/shop',
    deploymentId: id,
    environment: 'production',
    sha: sha(commit),
    ref: 'main',
    creatorLogin: 'ada',
    createdAt: at,
    statuses: [{ deploymentId: id, state, createdAt: at }],
  };
}
const incident = (
  number: number,
  title: string,
  openedAt: string,
  closedAt: string | null,
): Incident => ({
  number,
  title,
  body: null,
  labels: ['incident'],
  openedAt,
  closedAt,
});

// D1 c1 Monday 08:00, the first on record; D2 c2 ends in error at 10:00, D3 c3 at 11:00 restores it
// (1 h) and ships #10 and #11; D4 c4 on Tuesday at 10:00 ships #12 and D5 rolls back to c3 at 10:30
// (0.5 h), while incident #7 (opened 10:15, closed 12:00, naming nothing) blames D4, the last success
// within 24 h — a second reason, restored later than the rollback; D6 c5 on Wednesday at 10:00 ships
// #13, the revert of #10: D3 failed, restored 47 h after it ended. Incident #6 opened the week before;
// #8 on Saturday, more than 24 h after D6, blames nothing.
const incidents = [
  incident(6, 'Slow search', '2026-11-22T09:00:00Z', '2026-11-22T10:00:00Z'),
  incident(7, 'Checkout down', '2026-11-24T10:15:00Z', '2026-11-24T12:00:00Z'),
  incident(8, 'Login, again', '2026-11-28T09:00:00Z', null),
];
const history = productionHistory({
  defaultBranch: [1, 2, 3, 4, 5].map(sha),
  deployments: [
    deploy(101, 1, 'success', '2026-11-23T08:00:00Z'),
    deploy(102, 2, 'error', '2026-11-23T10:00:00Z'),
    deploy(103, 3, 'success', '2026-11-23T11:00:00Z'),
    deploy(104, 4, 'success', '2026-11-24T10:00:00Z'),
    deploy(105, 3, 'success', '2026-11-24T10:30:00Z'),
    deploy(106, 5, 'success', '2026-11-25T10:00:00Z'),
  ],
  changes: [
    change(10, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z', { title: 'Add cart' }),
    change(11, 3, '2026-11-23T10:30:00Z', '2026-11-23T08:00:00Z'),
    change(12, 4, '2026-11-24T09:00:00Z', '2026-11-24T08:00:00Z'),
    change(13, 5, '2026-11-25T09:00:00Z', '2026-11-25T08:00:00Z', {
      title: 'Revert "Add cart"',
      headRef: 'revert-10-add-cart',
    }),
  ],
  incidents,
});
const histories = [{ repositoryId: 1, repositoryFullName: 'acme/shop', history }];

describe("a week's deployments list", () => {
  it('names why each failed deployment failed, the reason whose times count first, with its restore time', () => {
    const rows = weekDeployments(histories, week, webUrl);
    expect(
      rows.map((row) => [
        row.deploymentId,
        row.state,
        row.rollback,
        row.failedBecause,
        row.restoreHours,
      ]),
    ).toEqual([
      [101, 'success', false, [], null],
      [102, 'failure', false, ['its last status was error'], 1],
      [103, 'success', false, ['#10, which it shipped, was reverted by #13'], 47],
      [
        104,
        'success',
        false,
        ['rolled back by deployment 105', 'incident #7 “Checkout down” blamed it'],
        0.5,
      ],
      [105, 'success', true, [], null],
      [106, 'success', false, [], null],
    ]);
    expect(rows[2]?.shipped).toEqual([
      { number: 10, title: 'Add cart', url: 'https://github.com/acme/shop/pull/10' },
      { number: 11, title: 'Change 11', url: 'https://github.com/acme/shop/pull/11' },
    ]);
  });

  it('counts no restore later than 14 days after the week, as the time to restore does not', () => {
    // D1 fails on Friday; the next success comes 15 days after the week ends.
    const late = productionHistory({
      defaultBranch: [1, 2].map(sha),
      deployments: [
        deploy(201, 1, 'failure', '2026-11-27T10:00:00Z'),
        deploy(202, 2, 'success', '2026-12-15T00:00:00Z'),
      ],
      changes: [],
    });
    const [row] = weekDeployments(
      [{ repositoryId: 1, repositoryFullName: 'acme/shop', history: late }],
      week,
      webUrl,
    );
    expect([row?.failedBecause, row?.restoreHours]).toEqual([
      ['its last status was failure'],
      null,
    ]);
  });

  it('writes its CSV with the reasons, and the creator only where per-person figures are on', () => {
    const rows = weekDeployments(histories, week, webUrl).slice(3, 4);
    const [header, line] = csvOf(rows, deploymentColumns(false)).split('\r\n');
    expect(header).toBe(
      'repository,deployment_id,environment,sha,ref,ended_at,state,rollback,shipped,failed,failed_because,restore_hours',
    );
    expect(line).toBe(
      `acme/shop,104,production,${sha(4)},main,2026-11-24T10:00:00Z,success,false,#12,true,rolled back by deployment 105; incident #7 “Checkout down” blamed it,0.5`,
    );
    expect(csvOf(rows, deploymentColumns(true)).split('\r\n')[1]).toContain(',main,ada,');
  });
});

describe("a week's incidents list", () => {
  it('lists the incidents opened in the week with the deployment each blamed, and whether its times count', () => {
    const rows = weekIncidents(
      incidents.map((one) => ({ repositoryId: 1, repository: 'acme/shop', incident: one })),
      histories,
      week,
      webUrl,
    );
    expect(rows).toEqual([
      {
        repositoryId: 1,
        repository: 'acme/shop',
        number: 7,
        title: 'Checkout down',
        url: 'https://github.com/acme/shop/issues/7',
        openedAt: '2026-11-24T10:15:00Z',
        closedAt: '2026-11-24T12:00:00Z',
        // 10:15 → 12:00.
        restoreHours: 1.75,
        blamed: { deploymentId: 104, endedAt: '2026-11-24T10:00:00Z' },
        // The rollback restored D4 first (10:30): its times count, not the incident's.
        timesCount: false,
      },
      expect.objectContaining({ number: 8, closedAt: null, restoreHours: null, blamed: null }),
    ]);
  });
});

describe('the AI signal of a pull request', () => {
  const merged = { createdAt: '2026-11-23T09:00:00Z', mergedAt: '2026-11-24T09:00:00Z' };
  it('names what marked it: the agent that opened it, the assistant a trailer names, or the label', () => {
    expect(aiSignal(pr(people.copilotAgent, merged))).toEqual({
      kind: 'bot',
      login: 'copilot-swe-agent[bot]',
    });
    expect(
      aiSignal(
        pr(people.alice, {
          ...merged,
          coAuthors: ['bob <bob@x>', 'claude <noreply@anthropic.com>'],
        }),
      ),
    ).toEqual({ kind: 'trailer', assistant: 'claude' });
    expect(
      aiSignal(pr(people.bob, { ...merged, labels: ['bug', 'Claude-Code-Assisted'] })),
    ).toEqual({
      kind: 'label',
      label: 'Claude-Code-Assisted',
    });
    expect(aiSignal(pr(people.carol, { ...merged, coAuthors: ['dave <dave@x>'] }))).toBeNull();
  });

  it('puts it in words on each merged pull request of the lists', () => {
    const rows = mergedPullRequests(
      [
        pr(people.alice, { ...merged, coAuthors: ['cursor'] }),
        pr(people.bob, { ...merged, labels: ['ai-assisted'] }),
        pr(people.copilotAgent, merged),
        pr(people.carol, merged),
      ],
      week,
      webUrl,
    );
    expect(rows.map((row) => row.aiSignal)).toEqual([
      'a commit trailer names cursor',
      'labelled ai-assisted',
      'opened by the AI agent copilot-swe-agent[bot]',
      null,
    ]);
  });
});
