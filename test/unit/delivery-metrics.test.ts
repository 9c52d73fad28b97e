import { describe, expect, it } from 'vitest';
import { deliveryWeek } from '#shared/metrics/delivery-week.ts';
import type { Deployment, Release } from '#shared/metrics/deployment.ts';
import { doraLevels } from '#shared/metrics/dora-levels.ts';
import {
  type Incident,
  impliedProductionPattern,
  mergesAsDeployments,
  type ProductionDeploy,
  productionHistory,
  releasesAsDeployments,
} from '#shared/metrics/production-history.ts';
import { rollupWeek } from '#shared/metrics/rollup.ts';
import { change, sha } from '../support/delivery-facts.ts';

/**
 * Hand-worked delivery histories; every expected figure is derived in the
 * comments from the timeline, not from the code. Week 48 of 2026 runs from
 * Monday 23 November 00:00 UTC to Monday 30 November.
 */
const week = { start: new Date('2026-11-23T00:00:00Z'), end: new Date('2026-11-30T00:00:00Z') };
const branch = (commits: number) => Array.from({ length: commits }, (_, i) => sha(i + 1));

// GitHub's deployment ids run into the billions, far from any PR number.
let nextId = 1_000_000_001;
function deploy(
  environment: string,
  commit: number,
  state: 'success' | 'failure' | 'error',
  at: string,
): Deployment {
  const deploymentId = nextId++;
  return {
    installationId: 1,
    repositoryId: 1,
    repositoryFullName: 'acme/shop',
    deploymentId,
    environment,
    sha: sha(commit),
    ref: 'main',
    creatorLogin: 'github-actions[bot]',
    createdAt: at,
    statuses: [
      { deploymentId, state: 'in_progress', createdAt: at },
      { deploymentId, state, createdAt: at },
    ],
  };
}
function incident(
  number: number,
  label: string,
  openedAt: string,
  closedAt: string | null,
  body: string,
): Incident {
  return { number, title: `Incident ${number}`, body, labels: [label], openedAt, closedAt };
}

describe('delivery metrics', () => {
  it('ships several merged, squashed and rebased changes with one deployment', () => {
    const history = productionHistory({
      // c1 deployed last week; #1 a merge commit (c2), #2 a squash (c3), #3 rebased as c4, c5 (c5 last).
      defaultBranch: branch(6),
      deployments: [
        deploy('production', 1, 'success', '2026-11-20T12:00:00Z'),
        deploy('Production', 5, 'success', '2026-11-23T12:00:00Z'),
        deploy('staging', 6, 'success', '2026-11-23T13:00:00Z'),
      ],
      changes: [
        // Merged at c1 before anything was on record: the first deployment ships nothing, so never counted.
        change(0, 1, '2026-11-19T09:00:00Z', '2026-11-18T12:00:00Z'),
        change(1, 2, '2026-11-23T09:00:00Z', '2026-11-22T12:00:00Z'),
        change(2, 3, '2026-11-23T10:00:00Z', '2026-11-23T06:00:00Z'),
        change(3, 5, '2026-11-23T11:00:00Z', '2026-11-20T12:00:00Z'),
      ],
    });

    // Staging is not production; last week's c1, the first on record, shipped nothing; Monday 12:00 shipped all three.
    expect(history.map((d) => [d.deployment.sha, d.shipped.map((c) => c.number)])).toEqual([
      [sha(1), []],
      [sha(5), [1, 2, 3]],
    ]);
    expect(deliveryWeek([history], week, 'UTC')).toEqual({
      deployments: 1,
      deploymentDays: 1,
      // First commit → Monday 12:00: #1 24 h, #2 6 h, #3 72 h. Sorted 6, 24, 72:
      // median 24; p75 at rank 1.5 = 24 + 0.5 × 48 = 48; p90 at rank 1.8 = 24 + 0.8 × 48 = 62.4.
      leadTime: { count: 3, median: 24, p75: 48, p90: 62.4 },
      // Merge → Monday 12:00: 3, 2, 1 h. Sorted 1, 2, 3: median 2, p75 2.5, p90 2.8.
      deployPhase: { count: 3, median: 2, p75: 2.5, p90: 2.8 },
      changeFailure: { failed: 0, deployments: 1, rate: 0 },
      timeToRestore: null,
    });
  });

  it('counts a failed deploy fixed, a rollback and a revert, each once, never over 100 %', () => {
    const history = productionHistory({
      defaultBranch: branch(5),
      deployments: [
        /* D1 */ deploy('production', 1, 'success', '2026-11-23T08:00:00Z'),
        /* D2 */ deploy('production', 2, 'failure', '2026-11-23T10:00:00Z'),
        /* D3 */ deploy('production', 3, 'success', '2026-11-23T11:00:00Z'),
        /* D4 */ deploy('production', 4, 'success', '2026-11-24T10:00:00Z'),
        /* D5: c3 again, a rollback */ deploy('production', 3, 'success', '2026-11-24T10:30:00Z'),
        /* D6 */ deploy('production', 5, 'success', '2026-11-25T10:00:00Z'),
      ],
      changes: [
        change(10, 2, '2026-11-23T09:00:00Z', '2026-11-23T07:00:00Z', { title: 'Add cart' }),
        change(11, 3, '2026-11-23T10:30:00Z', '2026-11-23T10:15:00Z'),
        change(12, 4, '2026-11-24T09:00:00Z', '2026-11-24T08:00:00Z'),
        change(13, 5, '2026-11-25T09:00:00Z', '2026-11-25T08:30:00Z', {
          title: 'Revert "Add cart"',
          headRef: 'revert-10-add-cart',
        }),
      ],
    });

    expect(
      history.map((d) => [d.shipped.map((c) => c.number), d.rollback, d.failedBy?.kind ?? null]),
    ).toEqual([
      [[], false, null],
      // D2 failed: it ships nothing.
      [[], false, 'status'],
      // D3 ships #10 and the fix #11; #11's revert of #10 fails D3 later.
      [[10, 11], false, 'revert'],
      // D4 ships #12 and is rolled back by D5, which ships nothing new.
      [[12], false, 'rollback'],
      [[], true, null],
      // D6 ships the revert, #13, only: #12 stays with D4, which shipped it first.
      [[13], false, null],
    ]);
    expect(deliveryWeek([history], week, 'UTC')).toEqual({
      // D1, D3, D4, D5, D6 succeeded, on Monday, Tuesday and Wednesday.
      deployments: 5,
      deploymentDays: 3,
      // Shipped: #10 07:00 → D3 11:00 = 4 h; #11 10:15 → 11:00 = 0.75 h; #12 08:00 → D4 10:00 = 2 h;
      // #13 08:30 → D6 10:00 = 1.5 h. Sorted 0.75, 1.5, 2, 4: median at rank 1.5 = 1.75;
      // p75 at rank 2.25 = 2 + 0.25 × 2 = 2.5; p90 at rank 2.7 = 2 + 0.7 × 2 = 3.4.
      leadTime: { count: 4, median: 1.75, p75: 2.5, p90: 3.4 },
      // Merge → shipped: #10 2 h, #11 0.5 h, #12 1 h, #13 1 h. Sorted 0.5, 1, 1, 2: median 1,
      // p75 at rank 2.25 = 1.25, p90 at rank 2.7 = 1.7.
      deployPhase: { count: 4, median: 1, p75: 1.25, p90: 1.7 },
      // Six ended; D2 (status), D3 (reverted), D4 (rolled back) failed: 3 of 6.
      changeFailure: { failed: 3, deployments: 6, rate: 0.5 },
      // D2 10:00 → D3 11:00 = 1 h; D3 Mon 11:00 → revert shipped Wed 10:00 = 47 h; D4 10:00 → D5 10:30 = 0.5 h.
      // Sorted 0.5, 1, 47: median 1; p75 at rank 1.5 = 1 + 0.5 × 46 = 24; p90 at rank 1.8 = 1 + 0.8 × 46 = 37.8.
      timeToRestore: { count: 3, median: 1, p75: 24, p90: 37.8 },
    });
  });

  it('finds a revert by its title, and fails a deployment once however many reasons it has', () => {
    const history = productionHistory({
      defaultBranch: branch(4),
      deployments: [
        deploy('prod', 1, 'success', '2026-11-23T08:00:00Z'),
        deploy('prod', 2, 'success', '2026-11-23T09:00:00Z'),
        // Rolled back, and its change reverted as well: one failure.
        deploy('prod', 1, 'success', '2026-11-23T09:30:00Z'),
        deploy('prod', 4, 'success', '2026-11-23T12:00:00Z'),
      ],
      changes: [
        change(20, 2, '2026-11-23T08:30:00Z', '2026-11-23T08:00:00Z', { title: 'New checkout' }),
        change(21, 3, '2026-11-23T10:00:00Z', '2026-11-23T09:45:00Z', {
          title: 'Revert "New checkout"',
          headRef: 'undo-checkout',
        }),
        change(22, 4, '2026-11-23T11:00:00Z', '2026-11-23T10:30:00Z'),
      ],
    });

    expect(history.map((d) => d.failedBy?.kind ?? null)).toEqual([null, 'rollback', null, null]);
    expect(deliveryWeek([history], week, 'UTC').changeFailure).toEqual({
      failed: 1,
      deployments: 4,
      rate: 0.25,
    });
  });

  it('fails nothing by a revert shipped with the change it reverts: the change never ran in production', () => {
    const history = productionHistory({
      defaultBranch: branch(3),
      deployments: [
        deploy('production', 1, 'success', '2026-11-23T08:00:00Z'),
        // Ships #23 and its revert #24 at once.
        deploy('production', 3, 'success', '2026-11-23T12:00:00Z'),
      ],
      changes: [
        change(23, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:30:00Z', { title: 'New search' }),
        change(24, 3, '2026-11-23T11:00:00Z', '2026-11-23T10:30:00Z', {
          title: 'Revert "New search"',
          headRef: 'revert-23-new-search',
        }),
      ],
    });

    expect(history.map((d) => [d.shipped.map((c) => c.number), d.failedBy?.kind ?? null])).toEqual([
      [[], null],
      [[23, 24], null],
    ]);
  });

  it('blames an incident on the deployment it names, else on one within 24 hours before it, never further back', () => {
    const history = productionHistory({
      defaultBranch: branch(3),
      deployments: [
        /* D1 */ deploy('production', 1, 'success', '2026-11-23T08:00:00Z'),
        /* D2 */ deploy('production', 2, 'success', '2026-11-23T12:00:00Z'),
        /* D3 */ deploy('production', 3, 'success', '2026-11-24T12:00:00Z'),
      ],
      changes: [
        change(40, 2, '2026-11-23T11:00:00Z', '2026-11-23T10:00:00Z'),
        change(41, 3, '2026-11-24T11:00:00Z', '2026-11-24T10:00:00Z'),
      ],
      incidents: [
        // Names #40, which D2 shipped: D2, though D3 is the latest before it. 09:00 → 11:00 = 2 h.
        incident(
          1,
          'Incident',
          '2026-11-25T09:00:00Z',
          '2026-11-25T11:00:00Z',
          'Checkout broken since #40',
        ),
        // Names nothing; D3 ended 8 h before: D3. 20:00 → 21:30 = 1.5 h.
        incident(2, 'sev2-incident', '2026-11-24T20:00:00Z', '2026-11-24T21:30:00Z', 'Latency up'),
        // Names D1's SHA by its first seven characters, three days on: D1. 09:00 → 10:00 = 1 h.
        incident(
          3,
          'incident',
          '2026-11-26T09:00:00Z',
          '2026-11-26T10:00:00Z',
          `Since ${sha(1).slice(0, 7)}`,
        ),
        // Names nothing, opened 118 h after the last deployment: nobody.
        incident(4, 'incident', '2026-11-29T10:00:00Z', '2026-11-29T12:00:00Z', 'Disk full'),
        // Not an incident.
        incident(5, 'bug', '2026-11-23T12:30:00Z', '2026-11-23T13:00:00Z', `#40 ${sha(2)}`),
      ],
    });

    expect(history.map((d) => d.failedBy?.kind ?? null)).toEqual([
      'incident',
      'incident',
      'incident',
    ]);
    expect(deliveryWeek([history], week, 'UTC')).toMatchObject({
      // All three ended this week and failed: 100 %, and never more.
      changeFailure: { failed: 3, deployments: 3, rate: 1 },
      // 1, 1.5, 2 h: median 1.5; p75 at rank 1.5 = 1.75; p90 at rank 1.8 = 1.5 + 0.8 × 0.5 = 1.9.
      timeToRestore: { count: 3, median: 1.5, p75: 1.75, p90: 1.9 },
    });
  });

  it('holds an unlinked incident against a deployment for 24 hours, not a minute more', () => {
    const blamedWhenOpened = (openedAt: string) =>
      productionHistory({
        defaultBranch: branch(2),
        deployments: [
          deploy('production', 1, 'success', '2026-11-23T08:00:00Z'),
          deploy('production', 2, 'success', '2026-11-23T12:00:00Z'),
        ],
        changes: [change(50, 2, '2026-11-23T11:00:00Z', '2026-11-23T10:00:00Z')],
        incidents: [
          {
            number: 9,
            title: 'Outage',
            body: null,
            labels: ['incident'],
            openedAt,
            closedAt: null,
          },
        ],
      }).map((d) => d.failedBy?.kind ?? null);

    expect(blamedWhenOpened('2026-11-24T12:00:00Z')).toEqual([null, 'incident']);
    expect(blamedWhenOpened('2026-11-24T12:01:00Z')).toEqual([null, null]);
  });

  it('blames the deployment an incident names by its id, however long before', () => {
    const first = deploy('production', 1, 'success', '2026-11-23T08:00:00Z');
    const second = deploy('production', 2, 'success', '2026-11-23T12:00:00Z');
    const history = productionHistory({
      defaultBranch: branch(2),
      deployments: [first, second],
      changes: [change(60, 2, '2026-11-23T11:00:00Z', '2026-11-23T10:00:00Z')],
      incidents: [
        {
          number: 10,
          title: 'Slow pages',
          body: `Began with deployment ${first.deploymentId}`,
          labels: ['incident'],
          openedAt: '2026-11-27T09:00:00Z',
          closedAt: null,
        },
      ],
    });

    expect(history.map((d) => d.failedBy?.kind ?? null)).toEqual(['incident', null]);
  });

  describe('rollbacks, roll-forwards and redeployments, against the commit production has', () => {
    const outcomes = (history: readonly ProductionDeploy[]) =>
      history.map((d) => [d.shipped.map((c) => c.number), d.rollback, d.failedBy?.kind ?? null]);

    it('takes deploying the rolled-back commit again for a roll-forward: it ships nothing again, and the rollback did not fail', () => {
      const history = productionHistory({
        defaultBranch: branch(3),
        deployments: [
          /* D1 */ deploy('production', 1, 'success', '2026-11-23T06:00:00Z'),
          /* D2 */ deploy('production', 3, 'success', '2026-11-23T10:00:00Z'),
          /* D3: back to c1 */ deploy('production', 1, 'success', '2026-11-23T10:30:00Z'),
          /* D4: c3 again, once fixed */ deploy('production', 3, 'success', '2026-11-23T15:00:00Z'),
        ],
        changes: [
          change(70, 2, '2026-11-23T08:30:00Z', '2026-11-23T07:00:00Z'),
          change(71, 3, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z'),
        ],
      });

      expect(outcomes(history)).toEqual([
        [[], false, null],
        // D2 ships #70 and #71 and is rolled back by D3.
        [[70, 71], false, 'rollback'],
        // D3 went back from c3 to c1: a rollback. D4 goes forward from c1 to c3: not one, so D3 stands.
        [[], true, null],
        // #70 and #71 stay with D2, which shipped them first.
        [[], false, null],
      ]);
      expect(deliveryWeek([history], week, 'UTC')).toMatchObject({
        deployments: 4,
        // #70 07:00 → D2 10:00 = 3 h, #71 08:00 → 10:00 = 2 h: median 2.5, p75 2.75, p90 2.9.
        leadTime: { count: 2, median: 2.5, p75: 2.75, p90: 2.9 },
        // D2 only, restored by D3 half an hour later.
        changeFailure: { failed: 1, deployments: 4, rate: 0.25 },
        timeToRestore: { count: 1, median: 0.5, p75: 0.5, p90: 0.5 },
      });
    });

    it('ships, rolling forward past the rolled-back commit, only the changes no deployment shipped before', () => {
      const history = productionHistory({
        defaultBranch: branch(3),
        deployments: [
          /* D1 */ deploy('production', 1, 'success', '2026-11-23T06:00:00Z'),
          /* D2 */ deploy('production', 2, 'success', '2026-11-23T10:00:00Z'),
          /* D3: back to c1 */ deploy('production', 1, 'success', '2026-11-23T10:30:00Z'),
          /* D4: past c2 to c3 */ deploy('production', 3, 'success', '2026-11-24T10:00:00Z'),
        ],
        changes: [
          change(72, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z'),
          change(73, 3, '2026-11-24T09:00:00Z', '2026-11-24T07:00:00Z'),
        ],
      });

      // D4 goes from c1 to c3: #72 (c2) lies between, but D2 shipped it first; #73 is D4's.
      expect(outcomes(history)).toEqual([
        [[], false, null],
        [[72], false, 'rollback'],
        [[], true, null],
        [[73], false, null],
      ]);
      // #72 08:00 → D2 10:00 = 2 h; #73 07:00 → D4 10:00 = 3 h.
      expect(deliveryWeek([history], week, 'UTC').leadTime).toEqual({
        count: 2,
        median: 2.5,
        p75: 2.75,
        p90: 2.9,
      });
    });

    it('takes a redeployment of the commit production has for neither a rollback nor a failure', () => {
      const history = productionHistory({
        defaultBranch: branch(2),
        deployments: [
          /* D1 */ deploy('production', 1, 'success', '2026-11-23T06:00:00Z'),
          /* D2 */ deploy('production', 2, 'success', '2026-11-23T10:00:00Z'),
          /* D3: c2 again */ deploy('production', 2, 'success', '2026-11-23T12:00:00Z'),
        ],
        changes: [change(74, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z')],
      });

      expect(outcomes(history)).toEqual([
        [[], false, null],
        [[74], false, null],
        [[], false, null],
      ]);
      expect(deliveryWeek([history], week, 'UTC')).toMatchObject({
        deployments: 3,
        changeFailure: { failed: 0, deployments: 3, rate: 0 },
        timeToRestore: null,
      });
    });

    it('fails, for a rollback, only the deployment production had, not every success since the commit it went back to', () => {
      const history = productionHistory({
        defaultBranch: branch(3),
        deployments: [
          /* D1 */ deploy('production', 1, 'success', '2026-11-23T06:00:00Z'),
          /* D2 */ deploy('production', 2, 'success', '2026-11-23T10:00:00Z'),
          /* D3 */ deploy('production', 3, 'success', '2026-11-24T10:00:00Z'),
          /* D4: back to c1 */ deploy('production', 1, 'success', '2026-11-24T11:00:00Z'),
        ],
        changes: [
          change(75, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z'),
          change(76, 3, '2026-11-24T09:00:00Z', '2026-11-24T08:00:00Z'),
        ],
      });

      // D4 replaced D3: D3 failed. D2 ran a day before D3 replaced it, no failure on record.
      expect(outcomes(history)).toEqual([
        [[], false, null],
        [[75], false, null],
        [[76], false, 'rollback'],
        [[], true, null],
      ]);
      expect(deliveryWeek([history], week, 'UTC')).toMatchObject({
        changeFailure: { failed: 1, deployments: 4, rate: 0.25 },
        timeToRestore: { count: 1, median: 1, p75: 1, p90: 1 },
      });
    });

    it('blames an incident naming a SHA on one deployment of it: the last that ended before the incident opened', () => {
      const history = productionHistory({
        defaultBranch: branch(2),
        deployments: [
          /* D1 */ deploy('production', 1, 'success', '2026-11-23T06:00:00Z'),
          /* D2 */ deploy('production', 2, 'success', '2026-11-23T10:00:00Z'),
          /* D3: back to c1 */ deploy('production', 1, 'success', '2026-11-23T10:30:00Z'),
          /* D4: c2 again */ deploy('production', 2, 'success', '2026-11-23T15:00:00Z'),
        ],
        changes: [change(77, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z')],
        incidents: [
          incident(
            20,
            'incident',
            '2026-11-24T09:00:00Z',
            '2026-11-24T10:00:00Z',
            `Errors after deploying ${sha(2).slice(0, 7)}`,
          ),
        ],
      });

      // D2 and D4 deployed c2; D4 ended last before the incident: it fails, D2 for its rollback only.
      expect(outcomes(history)).toEqual([
        [[], false, null],
        [[77], false, 'rollback'],
        [[], true, null],
        [[], false, 'incident'],
      ]);
      // D2 10:00 → D3 10:30 = 0.5 h; the incident 09:00 → 10:00 = 1 h.
      expect(deliveryWeek([history], week, 'UTC')).toMatchObject({
        changeFailure: { failed: 2, deployments: 4, rate: 0.5 },
        timeToRestore: { count: 2, median: 0.75 },
      });
    });
  });

  describe('time to restore', () => {
    it('restores a deployment that failed for several reasons when the first of them restored production', () => {
      const history = productionHistory({
        defaultBranch: branch(4),
        deployments: [
          /* D1 */ deploy('production', 1, 'success', '2026-11-23T08:00:00Z'),
          /* D2 */ deploy('production', 2, 'success', '2026-11-23T10:00:00Z'),
          /* D3 */ deploy('production', 3, 'success', '2026-11-23T14:00:00Z'),
          /* D4: back to c2 */ deploy('production', 2, 'success', '2026-11-23T14:30:00Z'),
          /* D5 */ deploy('production', 4, 'success', '2026-11-25T10:00:00Z'),
        ],
        changes: [
          change(80, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z', { title: 'Add cart' }),
          change(81, 3, '2026-11-23T13:00:00Z', '2026-11-23T12:00:00Z'),
          change(82, 4, '2026-11-25T09:00:00Z', '2026-11-25T08:30:00Z', {
            title: 'Revert "Add cart"',
            headRef: 'revert-80-add-cart',
          }),
        ],
        incidents: [
          // About D2 (it shipped #80): opened 12:00, closed 13:00 — before #80's revert shipped on Wednesday.
          incident(
            21,
            'incident',
            '2026-11-23T12:00:00Z',
            '2026-11-23T13:00:00Z',
            'Cart broken, #80',
          ),
          // About D3 (it shipped #81): closed 18:00, after D4 had rolled D3 back at 14:30.
          incident(22, 'incident', '2026-11-23T14:10:00Z', '2026-11-23T18:00:00Z', 'Slow, #81'),
        ],
      });

      expect(history.map((d) => [d.failedBy?.kind ?? null, d.failedAt, d.restoredAt])).toEqual([
        [null, null, null],
        // Reverted (restored Wednesday 10:00, 48 h on) and blamed by #21 (restored 13:00): #21's times.
        ['incident', '2026-11-23T12:00:00Z', '2026-11-23T13:00:00Z'],
        // Rolled back (restored 14:30) and blamed by #22 (restored 18:00): the rollback's.
        ['rollback', '2026-11-23T14:00:00Z', '2026-11-23T14:30:00Z'],
        [null, null, null],
        [null, null, null],
      ]);
      // 1 h and 0.5 h: each failed deployment once, never over 100 %.
      expect(deliveryWeek([history], week, 'UTC')).toMatchObject({
        changeFailure: { failed: 2, deployments: 5, rate: 0.4 },
        timeToRestore: { count: 2, median: 0.75, p90: 0.95 },
      });
    });

    it("counts an incident's time in the week its deployment ended, not the week it opened or closed", () => {
      const history = productionHistory({
        defaultBranch: branch(2),
        deployments: [
          /* D1 */ deploy('production', 1, 'success', '2026-11-26T08:00:00Z'),
          /* D2, Friday of week 48 */ deploy('production', 2, 'success', '2026-11-27T16:00:00Z'),
        ],
        changes: [change(83, 2, '2026-11-27T15:00:00Z', '2026-11-27T14:00:00Z')],
        incidents: [
          // Opened and closed on Monday of week 49.
          incident(23, 'incident', '2026-11-30T09:00:00Z', '2026-11-30T11:00:00Z', 'Since #83'),
        ],
      });
      const week49 = {
        start: new Date('2026-11-30T00:00:00Z'),
        end: new Date('2026-12-07T00:00:00Z'),
      };

      // With D2's failure in week 48, its 2 h: the week's failure rate and restore times are of the same deployments.
      expect(deliveryWeek([history], week, 'UTC')).toMatchObject({
        changeFailure: { failed: 1, deployments: 2, rate: 0.5 },
        timeToRestore: { count: 1, median: 2 },
      });
      expect(deliveryWeek([history], week49, 'UTC')).toMatchObject({
        changeFailure: null,
        timeToRestore: null,
      });
    });

    it('counts a failure not restored yet as failed, and its time once restored up to 14 days after its week', () => {
      const history = productionHistory({
        defaultBranch: branch(4),
        deployments: [
          /* D1 */ deploy('production', 1, 'success', '2026-11-23T08:00:00Z'),
          /* D2 */ deploy('production', 2, 'success', '2026-11-24T10:00:00Z'),
          /* D3 */ deploy('production', 3, 'success', '2026-11-25T10:00:00Z'),
          /* D4 */ deploy('production', 4, 'success', '2026-11-26T10:00:00Z'),
        ],
        changes: [
          change(84, 2, '2026-11-24T09:00:00Z', '2026-11-24T08:00:00Z'),
          change(85, 3, '2026-11-25T09:00:00Z', '2026-11-25T08:00:00Z'),
          change(86, 4, '2026-11-26T09:00:00Z', '2026-11-26T08:00:00Z'),
        ],
        incidents: [
          // Still open.
          incident(24, 'incident', '2026-11-24T12:00:00Z', null, 'Since #84'),
          // Closed Sunday 13 December, within 14 days of the week's end (Monday 30 November): 18 days, 432 h.
          incident(25, 'incident', '2026-11-25T12:00:00Z', '2026-12-13T12:00:00Z', 'Since #85'),
          // Closed Tuesday 15 December, past them: no rollup of week 48 looks that far.
          incident(26, 'incident', '2026-11-26T12:00:00Z', '2026-12-15T12:00:00Z', 'Since #86'),
        ],
      });

      expect(deliveryWeek([history], week, 'UTC')).toMatchObject({
        changeFailure: { failed: 3, deployments: 4, rate: 0.75 },
        timeToRestore: { count: 1, median: 432 },
      });
    });
  });

  it("counts bots' changes in lead time: DORA's changes are those that reached production, whoever made them", () => {
    const history = productionHistory({
      defaultBranch: branch(3),
      deployments: [
        deploy('production', 1, 'success', '2026-11-23T06:00:00Z'),
        deploy('production', 3, 'success', '2026-11-23T10:00:00Z'),
      ],
      changes: [
        change(87, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z'),
        // A dependency bump: left out of the flow figures, not out of these.
        change(88, 3, '2026-11-23T09:30:00Z', '2026-11-23T06:00:00Z', { authorType: 'Bot' }),
      ],
    });

    // #87 08:00 → 10:00 = 2 h; #88 06:00 → 10:00 = 4 h: median 3, p75 3.5, p90 3.8.
    expect(deliveryWeek([history], week, 'UTC').leadTime).toEqual({
      count: 2,
      median: 3,
      p75: 3.5,
      p90: 3.8,
    });
  });

  it('invents nothing for a week without deployments', () => {
    const history = productionHistory({
      defaultBranch: branch(2),
      deployments: [deploy('production', 1, 'success', '2026-11-16T08:00:00Z')],
      // Merged this week, not deployed: no lead time, no deploy phase.
      changes: [change(30, 2, '2026-11-24T09:00:00Z', '2026-11-24T08:00:00Z')],
    });

    expect(deliveryWeek([history], week, 'UTC')).toEqual({
      deployments: 0,
      deploymentDays: 0,
      leadTime: null,
      deployPhase: null,
      changeFailure: null,
      timeToRestore: null,
    });
  });

  it('levels each key by DORA 2023 clusters: frequency over four weeks, the others on the week', () => {
    const figures = (leadHours: number, failed: number, of: number, restoreHours: number) => ({
      deployments: of - failed,
      deploymentDays: 1,
      leadTime: { count: 1, median: leadHours, p75: leadHours, p90: leadHours },
      deployPhase: null,
      changeFailure: { failed, deployments: of, rate: failed / of },
      timeToRestore: { count: 1, median: restoreHours, p75: restoreHours, p90: restoreHours },
    });
    // Lead 23.9 h is under a day (elite); 1 failure in 20 is 5 % (elite, at most 5 %);
    // restored in 0.5 h (under an hour, elite); 28 deployments in four weeks is daily (elite).
    expect(doraLevels(figures(23.9, 1, 20, 0.5), 28)).toMatchObject({
      deploymentFrequency: 'elite',
      leadTime: 'elite',
      changeFailureRate: 'elite',
      timeToRestore: 'elite',
      source: { year: 2023 },
    });
    // 24 h is a day: high; 1 in 8 is 12.5 %: over 10, at most 15, medium; 20 h under a day: high;
    // 27 in four weeks is not daily but at least weekly: high.
    expect(doraLevels(figures(24, 1, 8, 20), 27)).toMatchObject({
      deploymentFrequency: 'high',
      leadTime: 'high',
      changeFailureRate: 'medium',
      timeToRestore: 'high',
    });
    // 800 h is over a month: low; 1 in 4 is 25 %: low; 200 h is over a week: low;
    // 3 in four weeks is at least monthly: medium, none at all low.
    expect(doraLevels(figures(800, 1, 4, 200), 3)).toMatchObject({
      deploymentFrequency: 'medium',
      leadTime: 'low',
      changeFailureRate: 'low',
      timeToRestore: 'low',
    });
    // 30 h is over a day, under a week: medium.
    expect(doraLevels(figures(1, 0, 1, 30), 1).timeToRestore).toBe('medium');
    expect(doraLevels(figures(1, 0, 1, 1), 0).deploymentFrequency).toBe('low');
    // No figure, no level.
    const none = {
      deployments: 0,
      deploymentDays: 0,
      leadTime: null,
      deployPhase: null,
      changeFailure: null,
      timeToRestore: null,
    };
    expect(doraLevels(none, 2)).toMatchObject({
      leadTime: null,
      changeFailureRate: null,
      timeToRestore: null,
    });
  });

  it('gives a repository that deployed but had no PR activity in the week its row, and an organisation without deployments none', () => {
    const history = productionHistory({
      defaultBranch: branch(2),
      deployments: [
        deploy('production', 1, 'success', '2026-11-16T08:00:00Z'),
        deploy('production', 2, 'success', '2026-11-24T08:00:00Z'),
      ],
      changes: [change(31, 2, '2026-11-20T09:00:00Z', '2026-11-20T08:00:00Z')],
    });
    const noCopilot = { organisation: [], users: [], noDataDays: 0 };

    const rows = rollupWeek('acme', [], week, noCopilot, {
      histories: [{ repositoryId: 1, repositoryFullName: 'acme/shop', history }],
      timeZone: 'UTC',
    });

    // The second deployment shipped #31 (merged 20 Nov 09:00) on 24 Nov 08:00: 95 h after its merge.
    expect(rows.map((row) => [row.row, row.delivery?.deployments])).toEqual([
      ['organisation', 1],
      ['repo#1', 1],
    ]);
    expect(rows[1]?.delivery?.deployPhase?.median).toBe(95);
    expect(rollupWeek('acme', [], week, noCopilot)[0]).not.toHaveProperty('delivery');
  });

  it('takes each merge to the default branch as a deployment for teams without any', () => {
    // #1 merged as c2 (the first on record: what production had before is unknown, it ships nothing);
    // #2 as c3 on Tuesday 10:00, its first commit Monday 10:00; #3 reverts it (branch revert-2-…)
    // as c4 on Wednesday 16:00. Deployments: 3 merges; #2's fails by the revert, restored
    // when #3 merged 30 h later; lead time of #2 24 h and of #3 2 h, no deploy phase at all.
    const changes = [
      change(1, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z'),
      change(2, 3, '2026-11-24T10:00:00Z', '2026-11-23T10:00:00Z'),
      { ...change(3, 4, '2026-11-25T16:00:00Z', '2026-11-25T14:00:00Z'), headRef: 'revert-2-fix' },
    ];
    const repository = { installationId: 1, repositoryId: 1, repositoryFullName: 'acme/shop' };

    const history = productionHistory({
      defaultBranch: branch(4),
      deployments: mergesAsDeployments(repository, changes),
      changes,
      productionPattern: impliedProductionPattern,
    });

    expect(deliveryWeek([history], week, 'UTC')).toEqual({
      deployments: 3,
      deploymentDays: 3,
      leadTime: { count: 2, median: 13, p75: 18.5, p90: 21.8 },
      deployPhase: { count: 2, median: 0, p75: 0, p90: 0 },
      changeFailure: { failed: 1, deployments: 3, rate: 0.333 },
      timeToRestore: { count: 1, median: 30, p75: 30, p90: 30 },
    });
  });

  it('takes each published release as a deployment of its tag, pre-releases not to production', () => {
    // v1.0.0 tags c1 on Friday 20 Nov (the first on record: ships nothing). #1 (c2) merged
    // Monday 09:00, first commit 08:00; #2 (c3) Tuesday 10:00, first commit Monday 10:00; #3 (c4)
    // Wednesday 12:00, first commit 09:00; #4 (c5) Thursday 11:00, first commit 10:00.
    // v1.1.0-rc.1 (c3, Tuesday 12:00) is a pre-release: not production, ships nothing.
    // v1.1.0 (c4, Wednesday 16:00) ships #1, #2, #3: lead 56, 54, 7 h; deploy phase 55, 30, 4 h.
    // v1.0.1 (Thursday 09:00) tags a maintenance branch's commit, not on the default branch:
    // a deployment that ships none of these. v1.2.0 (c5, Friday 16:00) ships #4: lead 30 h, phase 29 h.
    // Week: 3 deployments on Wed, Thu, Fri; lead [7, 30, 54, 56]: median 42, p75 54 + ¼·2 = 54.5,
    // p90 54 + 0.7·2 = 55.4; deploy phase [4, 29, 30, 55]: median 29.5, p75 30 + ¼·25 = 36.25,
    // p90 30 + 0.7·25 = 47.5. Nothing failed: 0 of 3; nothing to restore.
    const release = (
      id: number,
      commit: number,
      publishedAt: string,
      prerelease = false,
    ): Release => ({
      installationId: 1,
      repositoryId: 1,
      repositoryFullName: 'acme/shop',
      releaseId: id,
      tagName: `v${id}`,
      sha: sha(commit),
      authorLogin: 'mona',
      publishedAt,
      prerelease,
    });
    const changes = [
      change(1, 2, '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z'),
      change(2, 3, '2026-11-24T10:00:00Z', '2026-11-23T10:00:00Z'),
      change(3, 4, '2026-11-25T12:00:00Z', '2026-11-25T09:00:00Z'),
      change(4, 5, '2026-11-26T11:00:00Z', '2026-11-26T10:00:00Z'),
    ];

    const history = productionHistory({
      defaultBranch: branch(5),
      deployments: releasesAsDeployments([
        release(100, 1, '2026-11-20T16:00:00Z'),
        release(101, 3, '2026-11-24T12:00:00Z', true),
        release(102, 4, '2026-11-25T16:00:00Z'),
        release(103, 99, '2026-11-26T09:00:00Z'),
        release(104, 5, '2026-11-27T16:00:00Z'),
      ]),
      changes,
      productionPattern: impliedProductionPattern,
    });

    expect(
      history.map((deploy) => [deploy.deployment.ref, deploy.shipped.map((c) => c.number)]),
    ).toEqual([
      ['v100', []],
      ['v102', [1, 2, 3]],
      ['v103', []],
      ['v104', [4]],
    ]);
    expect(deliveryWeek([history], week, 'UTC')).toEqual({
      deployments: 3,
      deploymentDays: 3,
      leadTime: { count: 4, median: 42, p75: 54.5, p90: 55.4 },
      deployPhase: { count: 4, median: 29.5, p75: 36.25, p90: 47.5 },
      changeFailure: { failed: 0, deployments: 3, rate: 0 },
      timeToRestore: null,
    });
  });
});
