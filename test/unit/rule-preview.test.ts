import { describe, expect, it } from 'vitest';
import type { Deployment, Release } from '#shared/metrics/deployment.ts';
import type { Incident } from '#shared/metrics/production-history.ts';
import type { DeliverySource } from '#shared/rollup/delivery-histories.ts';
import { readOnce } from '#shared/rollup/read-once.ts';
import { rulePreview } from '#shared/rollup/rule-preview.ts';
import type { BranchCommit } from '#shared/store/delivery-history.ts';
import type { InstallationRecord } from '#shared/store/installations.ts';
import { people, pr } from '../support/pull-request-factory.ts';

/**
 * One repository's hand-worked February 2026 (UTC). Wednesday 4 March is
 * "now": the last four finished weeks are 2026-W06 to 2026-W09, Monday
 * 2 February to Monday 2 March. Every expected count is worked out in the
 * comments from the timeline below, not by the code.
 *
 * Branch: c1 (20 Jan), then PRs #1, #2, #3 merged as c2 (3 Feb), c3 (10 Feb), c4 (17 Feb).
 * Deployments (GitHub's ids run far from PR numbers):
 *   d1 production c1  26 Jan 10:05 success   (before the weeks: where production's record starts)
 *   d2 production c2   4 Feb 10:05 success   ships #1
 *   d3 staging    c3  11 Feb 09:05 success
 *   d4 production c3  11 Feb 10:05 failure
 *   d5 production c3  11 Feb 12:05 success   ships #2, restores d4
 *   d6 staging    c4  18 Feb 09:05 success
 *   d7 production c4  18 Feb 10:05 success   ships #3
 * Issues stored: "Checkout is down" labelled incident + sev2, opened 18 Feb 15:00;
 * "Search is slow" labelled sev1 only, opened 5 Feb 09:00 (stored under an earlier pattern).
 * Releases: v1 on c2 4 Feb 11:00, v2-rc (a pre-release) on c3 12 Feb, v2 on c4 19 Feb 11:00.
 */
const repositoryId = 10;
const sha = (n: number) => `${n.toString(16).padStart(4, '0')}${'c'.repeat(36)}`;
const facts = { installationId: 1, repositoryId, repositoryFullName: 'acme/app' };

let nextDeployment = 1_000_000_001;
function deploy(environment: string, commit: number, state: string, endedAt: string): Deployment {
  const deploymentId = nextDeployment++;
  const createdAt = new Date(Date.parse(endedAt) - 5 * 60_000).toISOString();
  return {
    ...facts,
    deploymentId,
    environment,
    sha: sha(commit),
    ref: 'main',
    creatorLogin: 'github-actions[bot]',
    createdAt,
    statuses: [{ deploymentId, state, createdAt: endedAt }],
  };
}

const deployments = [
  deploy('production', 1, 'success', '2026-01-26T10:05:00Z'),
  deploy('production', 2, 'success', '2026-02-04T10:05:00Z'),
  deploy('staging', 3, 'success', '2026-02-11T09:05:00Z'),
  deploy('production', 3, 'failure', '2026-02-11T10:05:00Z'),
  deploy('production', 3, 'success', '2026-02-11T12:05:00Z'),
  deploy('staging', 4, 'success', '2026-02-18T09:05:00Z'),
  deploy('production', 4, 'success', '2026-02-18T10:05:00Z'),
];
const branch: BranchCommit[] = ['2026-01-20', '2026-02-03', '2026-02-10', '2026-02-17'].map(
  (day, index) => ({ position: index + 1, sha: sha(index + 1), committedAt: `${day}T12:00:00Z` }),
);
const merged = [2, 3, 4].map((commit) =>
  pr(people.alice, {
    repositoryId,
    number: commit - 1,
    title: 'A change',
    createdAt: '2026-01-21T09:00:00Z',
    mergedAt: branch[commit - 1]?.committedAt ?? null,
    mergeCommitSha: sha(commit),
  }),
);
const incident = (number: number, title: string, labels: string[], openedAt: string): Incident => ({
  number,
  title,
  body: null,
  labels,
  openedAt,
  closedAt: null,
});
const incidents = [
  incident(150_001, 'Checkout is down', ['incident', 'sev2'], '2026-02-18T15:00:00Z'),
  incident(150_002, 'Search is slow', ['sev1'], '2026-02-05T09:00:00Z'),
];
let nextRelease = 2_000_000_001;
const release = (commit: number, publishedAt: string, prerelease = false): Release => ({
  ...facts,
  releaseId: nextRelease++,
  tagName: `v${nextRelease}`,
  sha: sha(commit),
  authorLogin: 'alice',
  publishedAt,
  prerelease,
});
const releases = [
  release(2, '2026-02-04T11:00:00Z'),
  release(3, '2026-02-12T11:00:00Z', true),
  release(4, '2026-02-19T11:00:00Z'),
];

/** The facts above as a store would answer, counting each question asked. */
function storedFacts() {
  const asked: string[] = [];
  const source: DeliverySource = {
    repositories: async () => {
      asked.push('repositories');
      return [
        {
          ...facts,
          fullName: 'acme/app',
          name: 'app',
          private: false,
          active: true,
          updatedAt: '2026-01-01T00:00:00Z',
        },
      ];
    },
    deployments: async () => {
      asked.push('deployments');
      return deployments;
    },
    releases: async () => {
      asked.push('releases');
      return releases;
    },
    branch: async () => {
      asked.push('branch');
      return branch;
    },
    incidents: async () => {
      asked.push('incidents');
      return incidents;
    },
    merged: async (window) => {
      asked.push('merged');
      return merged.filter((change) => {
        const at = Date.parse(change.mergedAt ?? '');
        return at >= window.start.getTime() - 1000 && at <= window.end.getTime() + 1000;
      });
    },
  };
  return { source, asked };
}

const installation: InstallationRecord = {
  installationId: 1,
  accountLogin: 'acme',
  timeZone: 'UTC',
} as InstallationRecord;
const now = new Date('2026-03-04T12:00:00Z');

describe('the rule preview', () => {
  it('counts the last four finished weeks under the rules now and under the rules typed', async () => {
    const { source, asked } = storedFacts();
    const proposed = {
      ...installation,
      productionEnvironments: '^(production|staging)$',
      incidentLabels: '^sev[12]$',
    };

    const preview = await rulePreview(source, installation, proposed, ['UTC'], now);

    expect(preview.weeks).toEqual(['2026-W06', '2026-W07', '2026-W08', '2026-W09']);
    // Now (production only, label "incident"): d2, d5, d7 succeeded; d4 ended too, four ended.
    // d4 failed by its status; "Checkout is down" opened 5 h after d7, within 24 h, names
    // none: it fails d7. "Search is slow" has no "incident" label. d1 ended before the weeks.
    expect(preview.now).toEqual({
      deployments: 3,
      ended: 4,
      failed: 2,
      failedByIncident: 1,
      incidents: 1,
      releases: 0,
    });
    // Typed (staging counts too, labels sev1/sev2): d3 and d6 join, five succeeded, six ended.
    // "Checkout is down" (sev2) still fails d7, the last success before it (d6 ended at 09:05);
    // "Search is slow" (sev1), 22 h 55 min after d2, fails d2. With d4: three failed.
    expect(preview.proposed).toEqual({
      deployments: 5,
      ended: 6,
      failed: 3,
      failedByIncident: 2,
      incidents: 2,
      releases: 0,
    });
    // Made in the weeks: d2, d4, d5, d7 to production, d3, d6 to staging (d1 was made in January).
    expect(preview.environments).toEqual([
      { name: 'production', deployments: 4, countsNow: true, countsProposed: true },
      { name: 'staging', deployments: 2, countsNow: false, countsProposed: true },
    ]);
    // Eight weeks' histories, each kind of fact read once; releases never, as no rule counts them.
    expect(asked.sort()).toEqual(['branch', 'deployments', 'incidents', 'merged', 'repositories']);
  });

  it('counts releases once they are the deployment source, and no environment as production', async () => {
    const { source } = storedFacts();
    const proposed = { ...installation, deploymentSource: 'releases' as const };

    const preview = await rulePreview(source, installation, proposed, ['UTC'], now);

    // v1 and v2 count, the pre-release does not: two deployments, both successes, none
    // failed — "Checkout is down" opened 18 Feb, before v2 and 14 days after v1 (past 24 h).
    expect(preview.proposed).toEqual({
      deployments: 2,
      ended: 2,
      failed: 0,
      failedByIncident: 0,
      incidents: 1,
      releases: 2,
    });
    expect(preview.environments.map((environment) => environment.countsProposed)).toEqual([
      false,
      false,
    ]);
  });

  it('refuses a question outside the facts it read, rather than answer it short', async () => {
    const { source } = storedFacts();
    const once = readOnce(source, {
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
    });

    await expect(
      once.deployments(repositoryId, {
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-02-10T00:00:00Z'),
      }),
    ).rejects.toThrow('outside the facts read');
    await expect(
      once.merged({
        start: new Date('2026-02-01T00:00:00Z'),
        end: new Date('2026-02-08T00:00:00Z'),
      }),
    ).rejects.toThrow('outside the window read');
  });
});
